extension Migrations {
    /// Which agencies receive and decide each procedure, for filters and reference checks.
    static let m0007CreateProcedureAgencies = Migration(
        version: 7, name: "create procedure_agencies",
        both: [
            """
            CREATE TABLE procedure_agencies (
                procedure_code TEXT NOT NULL REFERENCES procedures (code),
                agency_code TEXT NOT NULL REFERENCES agencies (code),
                role TEXT NOT NULL,
                PRIMARY KEY (procedure_code, agency_code, role)
            )
            """,
            "CREATE INDEX procedure_agencies_agency ON procedure_agencies (agency_code)",
        ])
}
