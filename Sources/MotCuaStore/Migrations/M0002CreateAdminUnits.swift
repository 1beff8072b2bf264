extension Migrations {
    /// Both registers of administrative units, keyed by scheme and official code; never deleted,
    /// a unit that ends gets its valid_to.
    static let m0002CreateAdminUnits = Migration(
        version: 2, name: "create admin_units",
        both: [
            """
            CREATE TABLE admin_units (
                scheme TEXT NOT NULL,
                code TEXT NOT NULL,
                level TEXT NOT NULL,
                name TEXT NOT NULL,
                unit_type TEXT NOT NULL,
                parent_code TEXT,
                province_code TEXT NOT NULL,
                valid_from TEXT,
                valid_to TEXT,
                PRIMARY KEY (scheme, code)
            )
            """,
            "CREATE INDEX admin_units_parent ON admin_units (scheme, parent_code)",
        ])
}
