import Foundation
import Logging
import SQLKit

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    /// The database was migrated by a newer MotCua: running older code on it could corrupt data.
    case databaseNewerThanCode(databaseVersion: Int, codeVersion: Int)
    case outOfOrder(String)

    public var description: String {
        switch self {
        case .databaseNewerThanCode(let database, let code):
            return "the database schema is at version \(database) but this MotCua knows only up to \(code): upgrade MotCua before starting it on this database"
        case .outOfOrder(let detail):
            return "migrations are not numbered 1, 2, 3…: \(detail)"
        }
    }
}

/// Applies pending migrations in order, each in its own transaction together with its record in
/// `schema_migrations`, so a migration is either fully applied and recorded or not at all.
public struct Migrator: Sendable {
    public let database: Database
    public let migrations: [Migration]

    public init(database: Database, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    /// The highest version recorded, 0 for a new database.
    public func currentVersion() async throws -> Int {
        try await ensureTable()
        return try await database.withConnection { db in
            try await db.raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
                .first(decodingColumn: "v", as: Int.self) ?? 0
        }
    }

    /// Fails when the database is newer than this code; otherwise returns the versions still to apply.
    public func pending() async throws -> [Migration] {
        try checkNumbering()
        let current = try await currentVersion()
        let latest = migrations.last?.version ?? 0
        if current > latest {
            throw MigrationError.databaseNewerThanCode(databaseVersion: current, codeVersion: latest)
        }
        return migrations.filter { $0.version > current }
    }

    /// Applies what is pending and returns what it applied (nothing on a second run).
    @discardableResult
    public func migrate(logger: Logger) async throws -> [Migration] {
        let pending = try await pending()
        let kind = database.kind
        var applied = false
        // Even if a later migration fails, those applied have changed the schema.
        defer { if applied { database.schemaChanged() } }
        for migration in pending {
            try await database.transaction { db in
                for statement in migration.statements(for: kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name),
                            SQLBind(now()))
                    .run()
            }
            applied = true
            logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        return pending
    }

    private func ensureTable() async throws {
        try await database.withConnection { db in
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """).run()
        }
    }

    private func checkNumbering() throws {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw MigrationError.outOfOrder("position \(index + 1) holds version \(migration.version) (\(migration.name))")
        }
    }
}
