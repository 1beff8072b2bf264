import Logging
import NIOPosix
@preconcurrency import SQLiteKit

/// SQLite's one writer: a single connection with a thread of its own, on which each write
/// transaction's body runs as well.
///
/// SQLite runs one write transaction at a time, so how long a transaction holds the write lock
/// bounds every write. Run from the global executor, each statement costs two thread wake-ups
/// (to SQLite's I/O thread and back), each about a tenth of a millisecond on a small VM; here
/// the statement is queued behind the body's current step on the same thread and answered there.
/// Writers queue for the one connection in order, before SQLite sees them, so none waits inside
/// `busy_timeout` holding a thread.
final class SQLiteWriter: Sendable {
    private let thread: NIOThreadPool
    private let executor: ThreadPoolExecutor
    private let pool: ConnectionPool<SQLiteFileSource>

    init(path: String, logger: Logger) {
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        executor = ThreadPoolExecutor(thread)
        pool = ConnectionPool(source: SQLiteFileSource(path: path, threadPool: thread), maxConnections: 1, logger: logger)
    }

    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withTaskExecutorPreference(executor) { try await pool.withConnection(body) }
    }

    func shutdown() async throws {
        try await pool.shutdown()
        try await thread.shutdownGracefully()
    }
}

/// Runs a task's jobs on a thread pool (here of one thread: the writer's).
final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let threads: NIOThreadPool

    init(_ threads: NIOThreadPool) {
        self.threads = threads
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Once the pool is stopped the item runs at once, on the caller's thread: the job must run anyway.
        threads.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
