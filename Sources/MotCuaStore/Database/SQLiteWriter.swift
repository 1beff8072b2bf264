import Foundation
import Logging
@preconcurrency import SQLiteKit

/// SQLite's one writer: a single connection with a thread of its own, on which each write
/// transaction's body runs as well, and which commits the transactions that queued while it
/// was busy together (group commit).
///
/// SQLite runs one write transaction at a time, so how long a transaction holds the write lock
/// bounds every write. The bodies run on the writer's thread and their statements run there
/// at once (see `SQLiteHandle`), with no thread wake-up between them.
///
/// Each commit writes the pages it changed to the WAL and waits for an fsync; transactions that
/// queued behind each other run one after another inside one SQLite transaction, each in a
/// savepoint of its own, and share that commit. None is answered before the shared commit is
/// durable, and a body that throws is rolled back to its savepoint without touching the others.
final class SQLiteWriter: Sendable {
    /// At most this many transactions share a commit: bounds the first one's wait for its answer.
    static let maxBatch = 32

    /// The writer connection's own settings.
    /// - Savepoints journal in memory: see `SQLiteFileSource.pragmas`.
    /// - An intake dirties about 20 pages in as many indexes, and the busiest of them (rollups,
    ///   the indexes' newest leaves) again in every commit. Checkpointing every 10,000 WAL frames
    ///   instead of SQLite's 1,000 copies each of those back to the database once instead of ten
    ///   times (measured: SQLite intake +16 %, its p95 halved; BENCHMARKS.md, "2026-12-05 (small hours)").
    /// - The WAL file is cut back to 64 MiB after a checkpoint, so one long read does not leave it large.
    static let pragmas = ["PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 10000", "PRAGMA journal_size_limit = \(64 << 20)"]

    private let executor = ThreadPoolExecutor(startingThreads: 1)
    private let pool: ConnectionPool<SQLiteFileSource>
    private let queue = WriteQueue()

    init(path: String, logger: Logger) {
        // No executor: the drain already runs its bodies on the writer's thread.
        let source = SQLiteFileSource(path: path, pragmas: Self.pragmas)
        pool = ConnectionPool(source: source, maxConnections: 1, logger: logger)
        // The first job on the writer's one thread, so every write runs after it.
        executor.runOnPoolThread { WriterPriority.raiseCurrentThread(logger: logger) }
    }

    /// Runs `body` in a write transaction (perhaps shared with others queued at the same time):
    /// returns once the transaction is committed, throws if the body threw or the commit failed.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = queue.append(PendingTransaction(body: body, continuation: continuation))
            if startDrain { Task(executorPreference: executor) { await self.drain() } }
        }
    }

    /// Runs batches until the queue is empty; only one drain runs at a time.
    private func drain() async {
        while let batch = queue.takeBatch(max: Self.maxBatch) {
            do {
                queue.putBack(try await pool.withConnection { db in try await Self.commit(batch, in: db) })
            } catch let dropped as DroppedTransaction {
                // Every write of the batch that ran has been answered; the connection was closed.
                queue.putBack(dropped.untried)
            } catch {
                // No connection: none of the batch ran.
                batch.forEach { $0.fail(error) }
            }
        }
    }

    /// Runs `batch` in one transaction and answers each of its writes, except those not tried
    /// because the transaction had to be dropped under an earlier one (SQLite rolls back the
    /// whole transaction on a full disk or an I/O error): those are returned, to run again.
    /// Throws (a `SpoiledConnection`, so the pool closes it) only when a rollback failed.
    private static func commit(_ batch: [any PendingWrite], in db: any SQLDatabase) async throws -> [any PendingWrite] {
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
        } catch {
            batch.forEach { $0.fail(error) }
            return []
        }
        // Alone, a write needs no savepoint: its failure rolls back the transaction.
        let shared = batch.count > 1
        var done: [any PendingWrite] = []
        // Reference data written in this batch is counted again before anyone is answered.
        let generations = ReferenceWrites.generations
        for (index, write) in batch.enumerated() {
            do {
                if shared { try await db.raw("SAVEPOINT write").run() }
                try await write.run(in: db)
                if shared { try await db.raw("RELEASE write").run() }
                done.append(write)
            } catch {
                write.fail(error)
                if shared, await rolledBackToSavepoint(in: db) { continue }
                let dropped = DatabaseError("rolled back with the transaction it shared, after another write failed: \(error)")
                ReferenceWrites.settle(since: generations)
                done.forEach { $0.fail(dropped) }
                return try await rollback(in: db, untried: Array(batch[(index + 1)...]))
            }
        }
        do {
            try await db.raw("COMMIT").run()
        } catch {
            ReferenceWrites.settle(since: generations)
            done.forEach { $0.fail(error) }
            return try await rollback(in: db, untried: [])
        }
        ReferenceWrites.settle(since: generations)
        done.forEach { $0.succeed() }
        return []
    }

    /// Undoes the last write alone; false if SQLite has already rolled back everything, or could not.
    private static func rolledBackToSavepoint(in db: any SQLDatabase) async -> Bool {
        do {
            try await db.raw("ROLLBACK TO write").run()
            try await db.raw("RELEASE write").run()
            return true
        } catch {
            db.logger.warning("a write's savepoint could not be rolled back; its batch is dropped",
                              metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
    }

    /// Ends the transaction. If ROLLBACK fails (SQLite may have rolled back on its own, or may
    /// still hold the transaction) the connection is closed, which ends it either way.
    private static func rollback(in db: any SQLDatabase, untried: [any PendingWrite]) async throws -> [any PendingWrite] {
        do {
            try await db.raw("ROLLBACK").run()
            return untried
        } catch {
            db.logger.warning("rollback failed; the writer's connection is closed",
                              metadata: ["error": "\(String(reflecting: error))"])
            throw SpoiledConnection(underlying: DroppedTransaction(untried: untried))
        }
    }

    /// How many transactions wait, and how many batches have been taken (for tests and metrics).
    var counts: (waiting: Int, batches: Int) { queue.counts }

    func shutdown() async throws {
        try await pool.shutdown()
        try await executor.shutdown()
    }
}
