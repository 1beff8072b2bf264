extension Migrations {
    /// Files attached to dossiers: metadata here, bytes on disk under their SHA-256.
    static let m0018CreateDossierDocuments = Migration(
        version: 18, name: "create dossier_documents",
        both: [
            """
            CREATE TABLE dossier_documents (
                dossier_code TEXT NOT NULL REFERENCES dossiers (code),
                id TEXT NOT NULL,
                label TEXT NOT NULL,
                filename TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_role TEXT NOT NULL,
                uploaded_at_ms BIGINT NOT NULL,
                PRIMARY KEY (dossier_code, id),
                UNIQUE (dossier_code, sha256, label)
            )
            """,
        ])
}
