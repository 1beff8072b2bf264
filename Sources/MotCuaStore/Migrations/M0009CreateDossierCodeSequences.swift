extension Migrations {
    /// The daily sequence of dossier codes per receiving agency, advanced inside the transaction
    /// that creates the dossier, so a crash can never hand out a number twice.
    static let m0009CreateDossierCodeSequences = Migration(
        version: 9, name: "create dossier_code_sequences",
        both: [
            """
            CREATE TABLE dossier_code_sequences (
                agency_code TEXT NOT NULL,
                day TEXT NOT NULL,
                last_value INTEGER NOT NULL,
                PRIMARY KEY (agency_code, day)
            )
            """,
        ])
}
