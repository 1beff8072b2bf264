extension Migrations {
    /// One row per dossier as the reports see it (`DossierFact`), kept in the same transaction as
    /// the dossier; drill-downs and officer reports read it, and the rollups are its sums. Days
    /// are `yyyymmdd` integers.
    static let m0020CreateDossierFacts = Migration(
        version: 20, name: "create dossier_facts",
        both: [
            """
            CREATE TABLE dossier_facts (
                dossier_code TEXT PRIMARY KEY REFERENCES dossiers (code),
                agency_code TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                officer TEXT,
                received_day INTEGER,
                closed_day INTEGER,
                outcome TEXT,
                due_day INTEGER,
                overdue BOOLEAN NOT NULL,
                supplement_day INTEGER,
                rated_day INTEGER,
                online TEXT,
                fee_payable BOOLEAN NOT NULL,
                paid_online BOOLEAN NOT NULL,
                digitised BOOLEAN NOT NULL,
                apologised BOOLEAN NOT NULL,
                satisfied BOOLEAN NOT NULL,
                processing_minutes INTEGER
            )
            """,
            "CREATE INDEX dossier_facts_received ON dossier_facts (agency_code, received_day)",
            "CREATE INDEX dossier_facts_closed ON dossier_facts (agency_code, closed_day)",
            "CREATE INDEX dossier_facts_officer ON dossier_facts (officer, received_day)",
        ])
}
