extension Migrations {
    /// Which 2025 commune each legacy commune became (several for a split one, one of them default).
    static let m0003CreateAdminUnitSuccessors = Migration(
        version: 3, name: "create admin_unit_successors",
        both: [
            """
            CREATE TABLE admin_unit_successors (
                legacy_code TEXT NOT NULL,
                successor_code TEXT NOT NULL,
                is_default INTEGER NOT NULL,
                PRIMARY KEY (legacy_code, successor_code)
            )
            """,
            "CREATE INDEX admin_unit_successors_successor ON admin_unit_successors (successor_code)",
        ])
}
