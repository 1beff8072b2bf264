extension Migrations {
    /// Sign-in sessions (browser cookies and API bearer tokens) by the SHA-256 of their token:
    /// a leaked table does not give anyone a session.
    static let m0015CreateSessions = Migration(
        version: 15, name: "create sessions",
        both: [
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts (id),
                kind TEXT NOT NULL,
                created_ms BIGINT NOT NULL,
                expires_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_account ON sessions (account_id)",
        ])
}
