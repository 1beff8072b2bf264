extension Migrations {
    /// The officer now holding the dossier at its current agency (none just after a hand-off),
    /// so leaders can see overdue work per officer.
    static let m0016AddDossierResponsibleOfficer = Migration(
        version: 16, name: "add dossiers.responsible_officer",
        both: [
            "ALTER TABLE dossiers ADD COLUMN responsible_officer TEXT",
            "CREATE INDEX dossiers_responsible ON dossiers (current_agency, responsible_officer)",
        ])
}
