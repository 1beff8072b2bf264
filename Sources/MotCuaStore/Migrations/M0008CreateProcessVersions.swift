extension Migrations {
    /// Every published version of every internal process; rows are only ever added.
    static let m0008CreateProcessVersions = Migration(
        version: 8, name: "create process_versions",
        both: [
            """
            CREATE TABLE process_versions (
                procedure_code TEXT NOT NULL REFERENCES procedures (code),
                version INTEGER NOT NULL,
                valid_from TEXT NOT NULL,
                steps_count INTEGER NOT NULL,
                budget_centihours INTEGER NOT NULL,
                document TEXT NOT NULL,
                published_at TEXT NOT NULL,
                PRIMARY KEY (procedure_code, version)
            )
            """,
        ])
}
