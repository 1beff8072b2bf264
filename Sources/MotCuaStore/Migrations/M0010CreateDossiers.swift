extension Migrations {
    /// Dossiers keyed by their public code; the current state as JSON beside the columns that
    /// inboxes and access checks filter on, with a version for optimistic concurrency.
    static let m0010CreateDossiers = Migration(
        version: 10, name: "create dossiers",
        both: [
            """
            CREATE TABLE dossiers (
                code TEXT PRIMARY KEY,
                procedure_code TEXT NOT NULL REFERENCES procedures (code),
                process_version INTEGER NOT NULL,
                receiving_agency TEXT NOT NULL REFERENCES agencies (code),
                current_agency TEXT NOT NULL,
                province_code TEXT NOT NULL,
                applicant_account TEXT,
                status INTEGER NOT NULL,
                appointment_ms BIGINT,
                step_deadline_ms BIGINT,
                state TEXT NOT NULL,
                applicant TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX dossiers_inbox ON dossiers (current_agency, step_deadline_ms, code)",
            "CREATE INDEX dossiers_applicant ON dossiers (applicant_account)",
            "CREATE INDEX dossiers_province ON dossiers (province_code)",
        ])
}
