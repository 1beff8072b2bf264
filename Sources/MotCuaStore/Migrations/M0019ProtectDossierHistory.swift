extension Migrations {
    /// The history is never rewritten: the database itself refuses to update or delete an event,
    /// whatever code runs against it.
    static let m0019ProtectDossierHistory = Migration(
        version: 19, name: "make dossier_events append-only",
        sqlite: [
            """
            CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
            BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END
            """,
            """
            CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
            BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END
            """,
        ],
        postgres: [
            """
            CREATE FUNCTION dossier_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'dossier_events is append-only'; END $$
            """,
            """
            CREATE TRIGGER dossier_events_append_only BEFORE UPDATE OR DELETE ON dossier_events
            FOR EACH ROW EXECUTE FUNCTION dossier_events_append_only()
            """,
            """
            CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events
            FOR EACH STATEMENT EXECUTE FUNCTION dossier_events_append_only()
            """,
        ])
}
