extension Migrations {
    /// The yearly holiday notices a province records itself; they override the shipped file.
    static let m0001CreateCalendarNotices = Migration(
        version: 1, name: "create calendar_notices",
        both: [
            """
            CREATE TABLE calendar_notices (
                year INTEGER PRIMARY KEY,
                document TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ])
}
