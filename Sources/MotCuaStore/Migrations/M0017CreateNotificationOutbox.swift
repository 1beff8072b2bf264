extension Migrations {
    /// Messages to applicants, written in the same transaction as the status change that causes
    /// them and drained by the sender. Keyed by dossier first; `(dossier_code, event_sequence,
    /// channel)` is unique, so one event never queues the same message twice.
    static let m0017CreateNotificationOutbox = Migration(
        version: 17, name: "create notification_outbox",
        both: [
            """
            CREATE TABLE notification_outbox (
                dossier_code TEXT NOT NULL REFERENCES dossiers (code),
                event_sequence INTEGER NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                body TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_ms BIGINT NOT NULL,
                sent_ms BIGINT,
                failed_ms BIGINT,
                last_error TEXT,
                PRIMARY KEY (dossier_code, event_sequence, channel)
            )
            """,
            "CREATE INDEX notification_outbox_due ON notification_outbox (sent_ms, failed_ms, next_attempt_ms)",
        ])
}
