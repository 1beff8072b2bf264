extension Migrations {
    /// The agencies an officer belongs to.
    static let m0014CreateAccountAgencies = Migration(
        version: 14, name: "create account_agencies",
        both: [
            """
            CREATE TABLE account_agencies (
                account_id TEXT NOT NULL REFERENCES accounts (id),
                agency_code TEXT NOT NULL REFERENCES agencies (code),
                PRIMARY KEY (account_id, agency_code)
            )
            """,
            "CREATE INDEX account_agencies_agency ON account_agencies (agency_code)",
        ])
}
