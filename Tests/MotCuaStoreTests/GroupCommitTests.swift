import Foundation
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// SQLite's writer commits the transactions that queued while it was busy together, each in a
/// savepoint: a shared commit must keep every write's own outcome.
@Suite(.timeLimit(.minutes(1))) struct GroupCommitTests {
    struct Planned: Error {}

    /// A writer on a scratch file with a table `t (n)`, closed after `body`.
    static func withWriter(_ body: (SQLiteWriter, String) async throws -> Void) async throws {
        let file = ConnectionPoolTests.scratchPath()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let writer = SQLiteWriter(path: file, logger: TestDatabases.logger)
        do {
            try await writer.transaction { db in try await db.raw("CREATE TABLE t (n INTEGER NOT NULL UNIQUE)").run() }
            try await body(writer, file)
            try await writer.shutdown()
        } catch {
            try await writer.shutdown()
            throw error
        }
    }

    /// Queues `writes` behind a write that holds the writer until all of them wait, so they
    /// form the next batch in this order; returns each one's outcome.
    static func queueBehindHeldWriter(_ writer: SQLiteWriter,
                                      _ writes: [@Sendable (any SQLDatabase) async throws -> Void]) async throws -> [Result<Void, any Error>] {
        let before = writer.counts.batches
        let holder = Task {
            try await writer.transaction { _ in
                while writer.counts.waiting < writes.count { try await Task.sleep(for: .milliseconds(2)) }
            }
        }
        while writer.counts.batches == before { try await Task.sleep(for: .milliseconds(1)) }
        var outcomes: [Task<Void, any Error>] = []
        for write in writes {
            let queued = writer.counts.waiting
            outcomes.append(Task { try await writer.transaction(write) })
            // One at a time, so the batch keeps this order.
            while writer.counts.waiting == queued { try await Task.sleep(for: .milliseconds(1)) }
        }
        try await holder.value
        var results: [Result<Void, any Error>] = []
        for outcome in outcomes { results.append(await outcome.result) }
        return results
    }

    static func values(in file: String) async throws -> [Int] {
        let database = try Database.open(.sqlite(path: file), logger: TestDatabases.logger, maxConnections: 1)
        let rows = try await database.withConnection { db in try await db.raw("SELECT n FROM t ORDER BY n").all() }
        try await database.close()
        return try rows.map { try $0.decode(column: "n", as: Int.self) }
    }

    static func insert(_ n: Int) -> @Sendable (any SQLDatabase) async throws -> Void {
        { db in try await db.raw("INSERT INTO t (n) VALUES (\(literal: n))").run() }
    }

    @Test func writesQueuedTogetherShareOneCommitAndAFailedOneLeavesTheOthers() async throws {
        try await Self.withWriter { writer, file in
            let before = writer.counts.batches
            let outcomes = try await Self.queueBehindHeldWriter(writer, [
                Self.insert(1),
                { db in try await Self.insert(2)(db); throw Planned() },
                Self.insert(3),
                Self.insert(3), // the unique key refuses it, inside the batch
                Self.insert(4),
            ])
            #expect(outcomes.map { (try? $0.get()) != nil } == [true, false, true, false, true])
            #expect(try await Self.values(in: file) == [1, 3, 4])
            // The holder's batch, then one for all five.
            #expect(writer.counts.batches - before == 2)
        }
    }

    @Test func aWriteThatEndsTheSharedTransactionFailsTheWritesBeforeItAndTheRestRunAgain() async throws {
        try await Self.withWriter { writer, file in
            let outcomes = try await Self.queueBehindHeldWriter(writer, [
                Self.insert(1),
                // As SQLite does on a full disk: the whole transaction is gone, not just this write.
                { db in try await db.raw("ROLLBACK").run(); throw Planned() },
                Self.insert(2),
            ])
            #expect(throws: DatabaseError.self) { try outcomes[0].get() }
            #expect(throws: Planned.self) { try outcomes[1].get() }
            #expect((try? outcomes[2].get()) != nil)
            #expect(try await Self.values(in: file) == [2], "nothing of the dropped transaction is kept; the untried write ran")
            // The writer opened a new connection and goes on.
            try await writer.transaction(Self.insert(5))
            #expect(try await Self.values(in: file) == [2, 5])
        }
    }

    @Test func theWritersSavepointsAreJournaledInMemory() async throws {
        try await Self.withWriter { writer, _ in
            // 2 = MEMORY: a savepoint's sub-journal never spills to a temporary file.
            let store = try await writer.transaction { db in
                try await db.raw("PRAGMA temp_store").first(decodingColumn: "temp_store", as: Int.self)
            }
            #expect(store == 2)
        }
    }

    @Test func theWriterCheckpointsEveryTenThousandFramesAndCutsTheWALBack() async throws {
        try await Self.withWriter { writer, _ in
            let (frames, limit) = try await writer.transaction { db in
                (try await db.raw("PRAGMA wal_autocheckpoint").first(decodingColumn: "wal_autocheckpoint", as: Int.self),
                 try await db.raw("PRAGMA journal_size_limit").first(decodingColumn: "journal_size_limit", as: Int.self))
            }
            #expect(frames == 10_000)
            #expect(limit == 64 * 1024 * 1024)
        }
    }

    @Test func noWriteIsAnsweredBeforeItsCommit() async throws {
        try await Self.withWriter { writer, file in
            // A reader on another connection sees a write as soon as it is answered.
            let database = try Database.open(.sqlite(path: file), logger: TestDatabases.logger, maxConnections: 2)
            let seen = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 10..<40 {
                    group.addTask {
                        try await writer.transaction(Self.insert(n))
                        let count = try await database.withConnection { db in
                            try await db.raw("SELECT count(*) AS c FROM t WHERE n = \(literal: n)").first(decodingColumn: "c", as: Int.self)
                        }
                        return count == 1
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            try await database.close()
            #expect(seen.count == 30 && seen.allSatisfy { $0 })
        }
    }
}
