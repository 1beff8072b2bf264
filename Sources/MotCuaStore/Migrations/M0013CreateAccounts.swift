extension Migrations {
    /// Accounts with a bcrypt hash and the counters that lock an account after repeated failures.
    static let m0013CreateAccounts = Migration(
        version: 13, name: "create accounts",
        both: [
            """
            CREATE TABLE accounts (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                full_name TEXT NOT NULL,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                citizen_id TEXT,
                phone TEXT,
                email TEXT,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until_ms BIGINT,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ])
}
