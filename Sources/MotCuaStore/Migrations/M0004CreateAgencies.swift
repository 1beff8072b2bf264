extension Migrations {
    /// Agencies with a version for optimistic concurrency; the unit they serve must exist.
    static let m0004CreateAgencies = Migration(
        version: 4, name: "create agencies",
        both: [
            """
            CREATE TABLE agencies (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                unit_scheme TEXT NOT NULL,
                unit_code TEXT NOT NULL,
                parent_code TEXT REFERENCES agencies (code),
                valid_from TEXT,
                valid_to TEXT,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                FOREIGN KEY (unit_scheme, unit_code) REFERENCES admin_units (scheme, code)
            )
            """,
            "CREATE INDEX agencies_unit ON agencies (unit_scheme, unit_code)",
        ])
}
