import Foundation
import Logging
import MotCuaTestSupport
import NIOCore
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// Writes held back and sent together: one statement on PostgreSQL, one by one on SQLite; the
/// same effects, in the same order, on both; nothing of them kept when one fails.
@Suite struct DeferredWritesTests {
    /// Counts the statements that reach the database.
    final class Counting: SQLDatabase, @unchecked Sendable {
        let base: any SQLDatabase
        private let lock = NSLock()
        private var sent: [String] = []
        init(_ base: any SQLDatabase) { self.base = base }
        var statements: [String] { lock.withLock { sent } }
        var logger: Logger { base.logger }
        var eventLoop: any EventLoop { base.eventLoop }
        var dialect: any SQLDialect { base.dialect }
        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
            lock.withLock { sent.append(serialize(query).sql) }
            return base.execute(sql: query, onRow)
        }
        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
            lock.withLock { sent.append(serialize(query).sql) }
            try await base.execute(sql: query, onRow)
        }
    }

    static func makeTables(in db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE parents (code TEXT PRIMARY KEY, note TEXT NOT NULL)").run()
        try await db.raw("CREATE TABLE children (parent TEXT NOT NULL REFERENCES parents (code), n INTEGER NOT NULL)").run()
        try await db.raw("CREATE TABLE totals (code TEXT PRIMARY KEY, n INTEGER NOT NULL)").run()
    }

    /// A parent, its children (cached text, numbered from $1 itself), and an upsert.
    static func hold(_ code: String, total: Int, in db: any SQLDatabase) async throws {
        try await db.write(db.cached("test.parents.insert", [code, "ghi chú $1 không phải tham số"]) { db, v in
            db.insert(into: "parents").columns("code", "note").values(v)
        }.query, into: "parents")
        try await db.write(db.cached("test.children.insert.2", [code, 1, code, 2]) { db, v in
            db.insert(into: "children").columns("parent", "n").values(Array(v[0..<2])).values(Array(v[2..<4]))
        }.query, into: "children")
        try await db.write(db.raw("""
            INSERT INTO totals (code, n) VALUES (\(bind: code), \(bind: total))
            ON CONFLICT (code) DO UPDATE SET n = totals.n + excluded.n
            """).query, into: "totals")
    }

    static func read(_ db: any SQLDatabase) async throws -> [String] {
        let rows = try await db.raw("""
            SELECT p.code, p.note, (SELECT count(*) FROM children c WHERE c.parent = p.code) AS children, t.n
            FROM parents p JOIN totals t ON t.code = p.code ORDER BY p.code
            """).all()
        return try rows.map {
            "\(try $0.decode(column: "code", as: String.self)) \(try $0.decode(column: "note", as: String.self)) "
                + "\(try $0.decode(column: "children", as: Int.self)) \(try $0.decode(column: "n", as: Int.self))"
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func heldWritesGoTogetherAndAReadSendsThemFirst(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await database.transaction { db in try await Self.makeTables(in: db) }
            let sent = try await database.transaction { db in
                let counting = Counting(db)
                try await counting.withDeferredWrites { writes in
                    try await Self.hold("A", total: 5, in: writes)
                    #expect(counting.statements.isEmpty || kind == .sqlite, "held until something needs them")
                    let seen = try await Self.read(writes)
                    #expect(seen == ["A ghi chú $1 không phải tham số 2 5"], "a read sees the held writes")
                    try await writes.withDeferredWrites { inner in
                        try await Self.hold("B", total: 7, in: inner)
                    }
                    #expect(counting.statements.count == 2 || kind == .sqlite, "an inner body leaves its writes to the outer one")
                }
                return counting.statements
            }
            let stored = try await database.withConnection { db in try await Self.read(db) }
            #expect(stored == ["A ghi chú $1 không phải tham số 2 5", "B ghi chú $1 không phải tham số 2 7"])
            if kind == .postgres {
                // Three writes and a read, then three writes: two statements and the read.
                #expect(sent.count == 3)
                #expect(sent[0].hasPrefix("WITH w0 AS (INSERT INTO") && sent[0].contains("$8)") && !sent[0].contains("$9"), "the last part numbered on from the others")
            } else {
                #expect(sent.count == 7, "SQLite runs each at once")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aFailingPartKeepsNothingOfTheOthers(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await database.transaction { db in
                try await Self.makeTables(in: db)
                try await db.raw("INSERT INTO parents (code, note) VALUES ('A', 'có trước')").run()
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try await db.withDeferredWrites { writes in
                        // The totals row is fine; the parent "A" already exists.
                        try await writes.write(db.raw("INSERT INTO totals (code, n) VALUES ('Z', 1)").query, into: "totals")
                        try await Self.hold("A", total: 1, in: writes)
                    }
                }
            }
            let totals = try await database.withConnection { db in
                try await db.raw("SELECT count(*) AS c FROM totals").first(decodingColumn: "c", as: Int.self)
            }
            #expect(totals == 0)
        }
    }

    /// Two parts of one PostgreSQL statement may not change the same row, and see the same snapshot:
    /// a second write into a table, or any read, sends what is held first.
    @Test(arguments: TestDatabases.kinds)
    func aSecondWriteIntoATableOrAReadSendsTheHeldWritesFirst(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await database.transaction { db in try await Self.makeTables(in: db) }
            let (early, sent, total) = try await database.transaction { db in
                let counting = Counting(db)
                return try await counting.withDeferredWrites { writes in
                    try await writes.write(db.raw("INSERT INTO totals (code, n) VALUES ('A', 1)").query, into: "totals")
                    try await writes.write(db.raw("""
                        INSERT INTO totals (code, n) VALUES ('A', 2) ON CONFLICT (code) DO UPDATE SET n = totals.n + excluded.n
                        """).query, into: "totals")
                    let early = counting.statements.count
                    let total = try await writes.raw("SELECT n FROM totals WHERE code = 'A'").first(decodingColumn: "n", as: Int.self)
                    return (early, counting.statements, total)
                }
            }
            #expect(total == 3)
            if kind == .postgres {
                #expect(early == 1, "the insert went alone when the upsert into its table came: \(sent)")
                #expect(sent.count == 3, "then the upsert, then the read: \(sent)")
            }
        }
    }

    /// A submission's writes after its number, and a step's writes with its update, go as one statement.
    @Test(arguments: TestDatabases.kinds)
    func aSubmissionAndAStepSendTheirWritesTogetherOnPostgreSQL(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submission = try DossierServiceTests.onlineSubmission(
                applicant: Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678"))
            // As `POST /dossiers` does it (`Idempotency.once`): the dossier submitted, the key and answer recorded.
            let key = Idempotency.Request(scope: "dossiers:citizen-1", key: UUID().uuidString, requestHash: "h")
            let (dossier, submitted) = try await database.transaction { db in
                let counting = Counting(db)
                let dossier = try await counting.withDeferredWrites { db in
                    let dossier = try await service.submit(submission, by: DossierServiceTests.citizen, in: db)
                    try await Idempotency.record(key, .init(status: 201, body: "{}"), in: db)
                    return dossier
                }
                return (dossier, counting.statements)
            }
            let replay = try await database.withConnection { db in try await Idempotency.lookup(key, in: db) }
            #expect(replay == .init(status: 201, body: "{}"))
            let stepped = try await database.transaction { db in
                let counting = Counting(db)
                let (locked, fact) = try #require(try await DossierRepository.findForChange(dossier.code, in: counting))
                _ = try await service.apply(.accept, to: locked, fact: .stored(fact), by: DossierServiceTests.intake, at: Date(), in: counting)
                return counting.statements
            }
            for (statements, parts, first) in [(submitted, ["dossier_events", "notification_outbox", "dossier_facts", "idempotency_keys"], 1),
                                               (stepped, ["UPDATE", "dossier_events"], 0)] {
                // The number, then everything else with the key; a step's update goes with the rest.
                let writes = statements.filter { sql in ["INSERT", "UPDATE", "WITH"].contains { sql.hasPrefix($0) } }
                if kind == .postgres {
                    #expect(writes.count == first + 1, "\(writes)")
                    #expect((["WITH w0 AS ("] + parts).allSatisfy { writes.last?.contains($0) == true }, "\(writes)")
                } else {
                    #expect(writes.count >= 3, "SQLite runs each at once: \(writes)")
                }
            }
            #expect(try await service.view(dossier.code, by: DossierServiceTests.citizen).version == 2)
        }
    }

    @Test func placeholdersAreRenumberedAndNothingElse() {
        #expect(CombinedWrites.renumbered("INSERT INTO t (a, b) VALUES ($1, $2), ($10, $2)", by: 4)
                == "INSERT INTO t (a, b) VALUES ($5, $6), ($14, $6)")
        #expect(CombinedWrites.renumbered("SELECT $1", by: 0) == "SELECT $1")
        #expect(CombinedWrites.renumbered("SELECT 'tiền $', $3 + 1", by: 96) == "SELECT 'tiền $', $99 + 1")
    }
}
