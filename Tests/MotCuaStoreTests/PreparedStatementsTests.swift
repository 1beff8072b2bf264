import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaStore

/// PostgreSQL runs repeated statements as named prepared statements (`PreparingPostgresDatabase`).
@Suite struct PreparedStatementsTests {
    static let postgres = TestDatabases.kinds.filter { $0 == .postgres }

    /// Each test gets texts and tables of its own.
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
    }

    @Test func onlyQueriesWithFixedColumnsArePrepared() {
        for sql in ["  SELECT 1", "insert into t values (1)", "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
                    "SELECT COUNT(*) AS n FROM t", "UPDATE t SET a = $1 WHERE b = $2", "DELETE FROM t WHERE a = $1"] {
            #expect(PreparedStatements.isPreparable(sql), "\(sql)")
        }
        for sql in ["BEGIN", "COMMIT", "CREATE TABLE t (a INT)", "ALTER TABLE t ADD COLUMN b INT", "SELECT * FROM t",
                    "SELECT t.* FROM t", "INSERT INTO t VALUES (1) RETURNING *"] {
            #expect(!PreparedStatements.isPreparable(sql), "\(sql)")
        }
        #expect(!PreparedStatements(maxLength: 10).isPreparable("SELECT a, b, c FROM t"))
    }

    /// Which names a connection may use, as executions succeed and fail.
    @Test func aNameIsDroppedOnlyWhereItsPreparationMayHaveFailed() throws {
        let statements = PreparedStatements()
        let connections = (NSObject(), NSObject())
        let one = ObjectIdentifier(connections.0), other = ObjectIdentifier(connections.1)
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: one) == nil)
        let name = try #require(statements.name(for: "SELECT a FROM t", types: [], on: one))
        // Run once, then failing as a query may (a conflict): it stays prepared, so it is kept.
        statements.succeeded(name, on: one)
        statements.failed(name, on: one, with: StoreError.notFound("x"))
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: one) == name)
        // Never run on `other`: a failure may be its preparation's, which PostgresNIO keeps for good.
        statements.failed(name, on: other, with: CancellationError())
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: other) == name)
        statements.failed(name, on: other, with: StoreError.notFound("x"))
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: other) == nil)
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: one) == name)
        // A closed connection's record goes; a new one at the same address starts afresh.
        statements.forget(other)
        #expect(statements.name(for: "SELECT a FROM t", types: [], on: other) == name)
        // Other parameter types are another statement.
        #expect(statements.name(for: "SELECT a FROM t", types: [.int8], on: one) == nil)
        withExtendedLifetime(connections) {}
    }

    /// NULLs and values in the same text, in any order, are stored as sent.
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
            #expect(try await Self.prepared(containing: table, in: database).count == 1)
        }
    }

    /// A NULL is declared with its Swift type's PostgreSQL type, as PostgresKit declares it.
    @Test(arguments: postgres)
    func aNullIsTypedAsPostgresKitTypesIt(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let tag = Self.tag()
            let types = try await database.withConnection { db in
                var types: [String] = []
                for _ in 0..<3 {
                    types.append(try await db.raw("SELECT pg_typeof(\(bind: nil as Int?))::text AS t, '\(unsafeRaw: tag)' AS tag")
                        .first(decodingColumn: "t", as: String.self) ?? "-")
                    types.append(try await db.raw("SELECT pg_typeof(\(bind: nil as String?))::text AS t, '\(unsafeRaw: tag)' AS tag")
                        .first(decodingColumn: "t", as: String.self) ?? "-")
                }
                return types
            }
            #expect(types == ["bigint", "text", "bigint", "text", "bigint", "text"])
            #expect(try await Self.prepared(containing: tag, in: database).count == 2)
        }
    }

    /// COPY still reaches the connection behind the preparing database.
    @Test(arguments: TestDatabases.kinds)
    func bulkInsertsCopyOnPostgreSQL(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let copies = try await database.withConnection { db in db.copyTarget != nil }
            #expect(copies == (kind == .postgres))
        }
    }

    /// Another process may change a table under a prepared statement: the connection that meets
    /// "cached plan must not change result type" sends the text unnamed from then on.
    @Test(arguments: postgres)
    func aStatementWhoseColumnsChangedIsSentUnnamed(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let table = "t\(Self.tag())"
            let read = { try await database.withConnection { db in try await db.select().column("a").from(table).all().count } }
            try await database.withConnection { db in
                try await db.raw("CREATE TABLE \(unsafeRaw: table) (a INTEGER)").run()
                try await db.raw("INSERT INTO \(unsafeRaw: table) VALUES (1)").run()
            }
            for _ in 0..<3 { #expect(try await read() == 1) }
            #expect(try await Self.prepared(containing: table, in: database).count == 1)
            // Not through the migrator: as if another process had changed it.
            try await database.withConnection { db in try await db.raw("ALTER TABLE \(unsafeRaw: table) ALTER COLUMN a TYPE TEXT").run() }
            await #expect(throws: (any Error).self) { try await read() }
            #expect(try await read() == 1)
            #expect(try await read() == 1)
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

    /// A prepared statement fails once its result column changes type, unless it is prepared again.
    @Test(arguments: postgres)
    func aMigrationMakesStatementsPreparedAgain(on kind: DatabaseKind) async throws {
        try await Self.withOneConnection(kind) { database in
            let table = "t\(Self.tag())"
            let create = Migration(version: 1, name: "create", both: ["CREATE TABLE \(table) (a INTEGER)", "INSERT INTO \(table) VALUES (1)"])
            let add = Migration(version: 2, name: "retype", both: ["ALTER TABLE \(table) ALTER COLUMN a TYPE TEXT"])
            let all = { try await database.withConnection { db in try await db.select().column("a").from(table).all().count } }
            try await Migrator(database: database, migrations: [create]).migrate(logger: TestDatabases.logger)
            for _ in 0..<3 { #expect(try await all() == 1) }
            #expect(try await Self.prepared(containing: table, in: database).count == 1)
            try await Migrator(database: database, migrations: [create, add]).migrate(logger: TestDatabases.logger)
            #expect(try await all() == 1)
            #expect(try await all() == 1)
            let value = try await database.withConnection { db in
                try await db.select().column("a").from(table).first(decodingColumn: "a", as: String.self)
            }
            #expect(value == "1")
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
