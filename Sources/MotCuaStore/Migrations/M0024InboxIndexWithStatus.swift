extension Migrations {
    /// The inbox index carries the status too. A stopped dossier keeps its last step deadline, so
    /// the inbox's walk in deadline order meets closed dossiers among the open ones; with the
    /// status in the index they are passed over there, without reading each row. At 1 million
    /// dossiers the first inbox page of the busiest commune went from 1.0 ms to 0.08 ms (SQLite).
    static let m0024InboxIndexWithStatus = Migration(
        version: 24, name: "inbox index with status",
        both: [
            "DROP INDEX dossiers_inbox",
            "CREATE INDEX dossiers_inbox ON dossiers (current_agency, step_deadline_ms, code, status)",
        ])
}
