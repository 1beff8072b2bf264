extension Migrations {
    /// The first response to each `Idempotency-Key`, so a retried create returns it instead of acting twice.
    static let m0005CreateIdempotencyKeys = Migration(
        version: 5, name: "create idempotency_keys",
        both: [
            """
            CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                status INTEGER NOT NULL,
                response TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (scope, idempotency_key)
            )
            """,
        ])
}
