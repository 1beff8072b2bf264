extension Migrations {
    /// Every agency a dossier has been with: an officer of any of them may still see it.
    static let m0012CreateDossierAgencies = Migration(
        version: 12, name: "create dossier_agencies",
        both: [
            """
            CREATE TABLE dossier_agencies (
                dossier_code TEXT NOT NULL REFERENCES dossiers (code),
                agency_code TEXT NOT NULL,
                PRIMARY KEY (dossier_code, agency_code)
            )
            """,
            "CREATE INDEX dossier_agencies_agency ON dossier_agencies (agency_code)",
        ])
}
