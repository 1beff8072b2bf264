extension Migrations {
    /// Procedures: the published document as JSON, with the columns search and filters need.
    static let m0006CreateProcedures = Migration(
        version: 6, name: "create procedures",
        both: [
            """
            CREATE TABLE procedures (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                field TEXT NOT NULL,
                level TEXT NOT NULL,
                online_level TEXT NOT NULL,
                status TEXT NOT NULL,
                search_name TEXT NOT NULL,
                search_text TEXT NOT NULL,
                document TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX procedures_field ON procedures (field)",
        ])
}
