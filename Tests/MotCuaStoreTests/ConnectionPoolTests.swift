import Foundation
import Logging
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// The pool's own rules, on SQLite files (the pool is the same for PostgreSQL; every other
/// suite runs through it on both).
@Suite(.timeLimit(.minutes(1))) struct ConnectionPoolTests {
    struct Planned: Error, Equatable {}

    static func scratchPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString).sqlite").path
    }

    /// Which connection answered: a TEMP table lives on one connection only.
    static func identity(_ db: any SQLDatabase) async throws -> String {
        try await db.raw("CREATE TEMP TABLE IF NOT EXISTS me AS SELECT lower(hex(randomblob(8))) AS id").run()
        return try await db.raw("SELECT id FROM me").first(decodingColumn: "id", as: String.self) ?? ""
    }

    static func withPool<R>(maxConnections: Int, path: String? = nil,
                            _ body: (ConnectionPool<SQLiteFileSource>) async throws -> R) async throws -> R {
        let file = path ?? Self.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let pool = ConnectionPool(source: SQLiteFileSource(path: file), maxConnections: maxConnections, logger: TestDatabases.logger)
        do {
            let result = try await body(pool)
            try await pool.shutdown()
            return result
        } catch {
            try await pool.shutdown()
            throw error
        }
    }

    actor Gauge {
        private(set) var now = 0
        private(set) var highest = 0
        func enter() { now += 1; highest = max(highest, now) }
        func leave() { now -= 1 }
    }

    @Test func servesEveryCallerWithoutOpeningMoreThanItsLimit() async throws {
        try await Self.withPool(maxConnections: 2) { pool in
            let gauge = Gauge()
            let identities = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await pool.withConnection { db in
                            await gauge.enter()
                            try await Task.sleep(for: .milliseconds(10))
                            await gauge.leave()
                            return try await Self.identity(db)
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(identities.count == 12)
            #expect(Set(identities).count <= 2)
            #expect(await gauge.highest == 2)
        }
    }

    @Test func reusesAConnectionAfterAnErrorButNotAfterItIsSpoiled() async throws {
        try await Self.withPool(maxConnections: 1) { pool in
            let first = try await pool.withConnection(Self.identity)
            await #expect(throws: Planned.self) { try await pool.withConnection { _ in throw Planned() } }
            #expect(try await pool.withConnection(Self.identity) == first)
            // The caller gets the error that spoiled the connection, and the next caller a new one.
            await #expect(throws: Planned.self) { try await pool.withConnection { _ in throw SpoiledConnection(underlying: Planned()) } }
            let next = try await pool.withConnection(Self.identity)
            #expect(next != first)
        }
    }

    @Test func aTransactionThatCannotRollBackGivesUpItsConnection() async throws {
        let file = Self.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let database = try Database.open(.sqlite(path: file), logger: TestDatabases.logger, maxConnections: 1)
        do {
            let before = try await database.transaction(Self.identity)
            // The body ends the transaction itself, so the ROLLBACK after its error fails.
            await #expect(throws: Planned.self) {
                try await database.transaction { db in
                    try await db.raw("ROLLBACK").run()
                    throw Planned()
                }
            }
            #expect(try await database.transaction(Self.identity) != before)
            try await database.close()
        } catch {
            try await database.close()
            throw error
        }
    }

    @Test func shutdownWaitsForConnectionsInUseThenRefusesNewCallers() async throws {
        let file = Self.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let pool = ConnectionPool(source: SQLiteFileSource(path: file), maxConnections: 2, logger: TestDatabases.logger)
        let gauge = Gauge()
        let holder = Task {
            try await pool.withConnection { db in
                await gauge.enter()
                try await Task.sleep(for: .milliseconds(150))
                _ = try await Self.identity(db)
                await gauge.leave()
            }
        }
        while await gauge.highest == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try await pool.shutdown()
        #expect(await gauge.now == 0, "shutdown returned while a connection was still in use")
        try await holder.value
        await #expect(throws: DatabaseError.self) { try await pool.withConnection(Self.identity) }
    }

    @Test func callersWaitingForAConnectionThatCannotOpenAllGetTheError() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir-\(UUID().uuidString)/db.sqlite").path
        try await Self.withPool(maxConnections: 1, path: missing) { pool in
            let failures = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do {
                            _ = try await pool.withConnection(Self.identity)
                            return false
                        } catch {
                            return true
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failures == 4)
        }
    }
    @Test func sqliteWritersTakeTurnsAndAClosedDatabaseRefusesThem() async throws {
        let file = Self.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let database = try Database.open(.sqlite(path: file), logger: TestDatabases.logger)
        try await database.transaction { db in
            try await db.raw("CREATE TABLE counter (n INTEGER NOT NULL)").run()
            try await db.raw("INSERT INTO counter (n) VALUES (0)").run()
        }
        // Read, then write: a lost update would show if two bodies ever overlapped.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        try await database.transaction { db in
                            let n = try await db.raw("SELECT n FROM counter").first(decodingColumn: "n", as: Int.self) ?? -1
                            try await db.raw("UPDATE counter SET n = \(literal: n + 1)").run()
                            if index % 5 == 4 { throw Planned() }
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 16)
        let n = try await database.withConnection { db in try await db.raw("SELECT n FROM counter").first(decodingColumn: "n", as: Int.self) }
        #expect(n == 16, "each committed body adds one; the four that failed leave nothing")
        try await database.close()
        await #expect(throws: DatabaseError.self) { try await database.transaction { _ in 1 } }
    }
}

/// Where a body runs on PostgreSQL: a transaction on its connection's event loop, so that each
/// statement's answer resumes it without waking another thread; a read where it was called, so
/// that decoding its rows does not hold a loop other connections share.
@Suite struct ConnectionExecutorTests {
    @Test(arguments: TestDatabases.kinds.filter { $0 == .postgres })
    func postgresTransactionsRunOnTheirConnectionsEventLoop(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            for _ in 0..<3 {
                let onLoop = try await database.withConnection { db in
                    _ = try await db.raw("SELECT 1 AS one").all()
                    return db.eventLoop.inEventLoop
                }
                #expect(!onLoop)
                let inTransaction = try await database.transaction { db in
                    _ = try await db.raw("SELECT 1 AS one").all()
                    return db.eventLoop.inEventLoop
                }
                #expect(inTransaction)
            }
        }
    }
}
