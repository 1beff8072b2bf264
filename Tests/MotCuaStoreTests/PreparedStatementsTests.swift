import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaStore

/// PostgreSQL runs repeated statements as named prepared statements (`PreparingPostgresDatabase`).
@Suite struct PreparedStatementsTests {
    static let postgres = TestDatabases.kinds.filter { $0 == .postgres }

    /// Each test gets texts of its own: names are process-wide.
    static func tag() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

    @Test(arguments: postgres)
    func aRepeatedStatementIsPreparedOnItsConnection(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let tag = Self.tag()
            let values = try await database.withConnection { db in
                var values: [Int] = []
                for n in 1...4 {
                    let row = try await db.raw("SELECT \(bind: n) + 1 AS n, '\(unsafeRaw: tag)' AS tag").first()
                    values.append(try #require(row).decode(column: "n", as: Int.self))
                }
                return values
            }
            #expect(values == [2, 3, 4, 5])
            let prepared = try await Self.prepared(containing: tag, in: database)
            #expect(prepared.count == 1)
            #expect(prepared.first?.hasPrefix("motcua_") == true)
        }
    }

    @Test(arguments: postgres)
    func oneOffStatementsAndDDLStayUnnamed(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let tag = Self.tag()
            try await database.withConnection { db in
                _ = try await db.raw("SELECT '\(unsafeRaw: tag)' AS once").all()
                for _ in 0..<3 {
                    try await db.raw("CREATE TABLE IF NOT EXISTS t\(unsafeRaw: tag) (a INTEGER)").run()
                }
            }
            #expect(try await Self.prepared(containing: tag, in: database).isEmpty)
        }
        #expect(PreparedStatements.isPreparable("  SELECT 1") && PreparedStatements.isPreparable("insert into t values (1)")
                && PreparedStatements.isPreparable("WITH x AS (SELECT 1) SELECT * FROM x"))
        #expect(!PreparedStatements.isPreparable("BEGIN") && !PreparedStatements.isPreparable("CREATE TABLE t (a INT)")
                && !PreparedStatements.isPreparable("ALTER TABLE t ADD COLUMN b INT"))
    }

    /// A NULL leaves the server to infer the parameter's type, so the same text with a NULL and
    /// with a value are two statements; both must keep working in any order.
    @Test(arguments: postgres)
    func nullsAndValuesOfTheSameTextBothWork(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let table = "t\(Self.tag())"
            let stored = try await database.withConnection { db in
                try await db.raw("CREATE TABLE \(unsafeRaw: table) (n INTEGER PRIMARY KEY, a INTEGER, b TEXT, c BOOLEAN)").run()
                // Prepared with a NULL, `a` is an INTEGER to the server; a Swift Int is sent as a BIGINT.
                let rows: [(Int?, String?, Bool?)] = [(nil, "một", true), (nil, "hai", false), (7, "ba", true), (8, "bốn", false), (nil, nil, nil)]
                for (n, row) in rows.enumerated() {
                    try await db.insert(into: table).columns("n", "a", "b", "c")
                        .values(SQLBind(n), SQLBind(row.0), SQLBind(row.1), SQLBind(row.2)).run()
                }
                return try await db.select().columns("a", "b", "c").from(table).orderBy("n").all().map {
                    "\(try $0.decodeNil(column: "a") ? "-" : String(try $0.decode(column: "a", as: Int.self)))"
                        + " \(try $0.decode(column: "b", as: String?.self) ?? "-") \(try $0.decode(column: "c", as: Bool?.self).map { "\($0)" } ?? "-")"
                }
            }
            #expect(stored == ["- một true", "- hai false", "7 ba true", "8 bốn false", "- - -"])
            #expect(try await Self.prepared(containing: table, in: database).count >= 2)
        }
    }

    /// PostgresNIO keeps a failed preparation's error for the connection's lifetime. A text whose
    /// preparation fell in an aborted transaction must still run once the transaction is over.
    @Test(arguments: postgres)
    func aPreparationThatFailedDoesNotSpoilTheConnection(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let tag = Self.tag()
            let after = try await database.withConnection { db in
                let statement = { try await db.raw("SELECT \(bind: 41) + 1 AS n, '\(unsafeRaw: tag)' AS tag").first(decodingColumn: "n", as: Int.self) }
                #expect(try await statement() == 42)
                try await db.raw("BEGIN").run()
                await #expect(throws: (any Error).self) { try await db.raw("SELECT 1 / 0 AS boom").run() }
                // The second time the text is named, and its preparation fails: the transaction is aborted.
                await #expect(throws: (any Error).self) { try await statement() }
                try await db.raw("ROLLBACK").run()
                return [try await statement(), try await statement()]
            }
            #expect(after == [42, 42])
        }
    }

    /// A prepared `SELECT *` fails once its table gains a column, unless it is prepared again.
    @Test(arguments: postgres)
    func aMigrationMakesStatementsPreparedAgain(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let table = "t\(Self.tag())"
            let create = Migration(version: 1, name: "create", both: ["CREATE TABLE \(table) (a INTEGER)", "INSERT INTO \(table) VALUES (1)"])
            let add = Migration(version: 2, name: "add", both: ["ALTER TABLE \(table) ADD COLUMN b TEXT"])
            let all = { try await database.withConnection { db in try await db.select().column("*").from(table).all().count } }
            try await Migrator(database: database, migrations: [create]).migrate(logger: TestDatabases.logger)
            for _ in 0..<3 { #expect(try await all() == 1) }
            #expect(try await Self.prepared(containing: table, in: database).count == 1)
            try await Migrator(database: database, migrations: [create, add]).migrate(logger: TestDatabases.logger)
            #expect(try await all() == 1)
            let columns = try await database.withConnection { db in
                try await db.select().column("*").from(table).first()?.allColumns
            }
            #expect(columns == ["a", "b"])
        }
    }

    /// A fresh database whose pool has one connection, so every body meets the same connection.
    static func withOneConnection(_ kind: DatabaseKind, _ body: (Database) async throws -> Void) async throws {
        try await TestDatabases.withFresh(kind) { fresh in
            let database = try Database.open(fresh.location, logger: TestDatabases.logger, maxConnections: 1)
            do {
                try await body(database)
                try await database.close()
            } catch {
                try? await database.close()
                throw error
            }
        }
    }

    /// The names of the connection's prepared statements whose text contains `text`.
    static func prepared(containing text: String, in database: Database) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("SELECT name FROM pg_prepared_statements WHERE strpos(statement, \(bind: text)) > 0")
                .all(decodingColumn: "name", as: String.self)
        }
    }
}
