extension Migrations {
    /// A dossier follows a process version that exists: its steps and hour budgets are read from
    /// that version for as long as the dossier lives, so the version must not be missing or go away.
    /// Rows written before this migration are not checked again (NOT VALID on PostgreSQL, as
    /// SQLite's triggers check only the rows written after them); as on PostgreSQL, an update
    /// that leaves the key as it was is not checked.
    static let m0025DossierProcessVersionExists = Migration(
        version: 25, name: "dossiers follow an existing process version",
        sqlite: [
            """
            CREATE TRIGGER dossiers_process_version_insert BEFORE INSERT ON dossiers
            WHEN NOT EXISTS (SELECT 1 FROM process_versions WHERE procedure_code = NEW.procedure_code AND version = NEW.process_version)
            BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: dossiers.process_version'); END
            """,
            """
            CREATE TRIGGER dossiers_process_version_update BEFORE UPDATE OF procedure_code, process_version ON dossiers
            WHEN (NEW.procedure_code IS NOT OLD.procedure_code OR NEW.process_version IS NOT OLD.process_version) AND NOT EXISTS (SELECT 1 FROM process_versions WHERE procedure_code = NEW.procedure_code AND version = NEW.process_version)
            BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: dossiers.process_version'); END
            """,
            """
            CREATE TRIGGER process_versions_followed_delete BEFORE DELETE ON process_versions
            WHEN EXISTS (SELECT 1 FROM dossiers WHERE procedure_code = OLD.procedure_code AND process_version = OLD.version)
            BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a dossier follows this process version'); END
            """,
            """
            CREATE TRIGGER process_versions_followed_update BEFORE UPDATE OF procedure_code, version ON process_versions
            WHEN (NEW.procedure_code IS NOT OLD.procedure_code OR NEW.version IS NOT OLD.version) AND EXISTS (SELECT 1 FROM dossiers WHERE procedure_code = OLD.procedure_code AND process_version = OLD.version)
            BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a dossier follows this process version'); END
            """,
        ],
        postgres: [
            """
            ALTER TABLE dossiers ADD CONSTRAINT dossiers_process_version_fkey FOREIGN KEY (procedure_code, process_version)
            REFERENCES process_versions (procedure_code, version) NOT VALID
            """,
        ])
}
