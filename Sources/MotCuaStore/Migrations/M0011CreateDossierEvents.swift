extension Migrations {
    /// The append-only history of every dossier: one row per command, numbered by the version it
    /// produced, written in the same transaction as the new state and never updated.
    static let m0011CreateDossierEvents = Migration(
        version: 11, name: "create dossier_events",
        both: [
            """
            CREATE TABLE dossier_events (
                dossier_code TEXT NOT NULL REFERENCES dossiers (code),
                sequence INTEGER NOT NULL,
                command TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                from_status INTEGER,
                to_status INTEGER NOT NULL,
                reason TEXT,
                data TEXT NOT NULL,
                PRIMARY KEY (dossier_code, sequence)
            )
            """,
        ])
}
