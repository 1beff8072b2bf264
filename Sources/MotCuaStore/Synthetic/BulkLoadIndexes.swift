import Foundation
import SQLKit

/// On PostgreSQL a bulk load runs faster without the secondary indexes and foreign keys of the
/// tables it fills: each row would otherwise update every index and run a foreign-key check.
/// They are dropped first and made again afterwards, one pass each, from their own definitions;
/// primary keys stay, so duplicates are still refused while loading.
enum BulkLoadIndexes {
    static let tables = ["dossiers", "dossier_events", "dossier_agencies", "dossier_facts"]

    static func withoutSecondaryIndexes<R: Sendable>(_ database: Database, _ body: () async throws -> R) async throws -> R {
        guard database.kind == .postgres else { return try await body() }
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        let (keys, indexes) = try await database.withConnection { db in
            let keys = try await db.raw("""
                SELECT conrelid::regclass::text AS t, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
                WHERE contype = 'f' AND conrelid::regclass::text IN (\(unsafeRaw: names)) ORDER BY conname
                """).all().map { (try $0.decode(column: "t", as: String.self), try $0.decode(column: "name", as: String.self),
                                  try $0.decode(column: "def", as: String.self)) }
            let indexes = try await db.raw("""
                SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()
                AND tablename IN (\(unsafeRaw: names)) AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
                ORDER BY indexname
                """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "def", as: String.self)) }
            return (keys, indexes)
        }
        try await database.transaction { db in
            for (table, name, _) in keys { try await db.raw("ALTER TABLE \(ident: table) DROP CONSTRAINT \(ident: name)").run() }
            for (name, _) in indexes { try await db.raw("DROP INDEX \(ident: name)").run() }
        }
        func restore() async throws {
            try await database.transaction { db in
                for (_, definition) in indexes { try await db.raw("\(unsafeRaw: definition)").run() }
                for (table, name, definition) in keys {
                    // A key added NOT VALID (so as not to check rows from before it) checks every
                    // row here, the loaded ones included, as SQLite's triggers check each of them.
                    let checked = definition.hasSuffix(" NOT VALID") ? String(definition.dropLast(" NOT VALID".count)) : definition
                    try await db.raw("ALTER TABLE \(ident: table) ADD CONSTRAINT \(ident: name) \(unsafeRaw: checked)").run()
                }
            }
            try await database.withConnection { db in
                for table in tables { try await db.raw("ANALYZE \(ident: table)").run() }
            }
        }
        do {
            let result = try await body()
            try await restore()
            return result
        } catch {
            try? await restore()
            throw error
        }
    }
}
