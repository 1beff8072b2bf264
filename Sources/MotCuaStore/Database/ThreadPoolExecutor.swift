import NIOPosix

/// Runs a task's jobs on threads of its own, for bodies whose statements block the thread they
/// run on: SQLite's writer (one thread) and its readers (one per pooled connection).
final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let threads: NIOThreadPool

    /// Starts `count` threads; `shutdown` stops them.
    init(startingThreads count: Int) {
        threads = NIOThreadPool(numberOfThreads: max(1, count))
        threads.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Once the pool is stopped the item runs at once, on the caller's thread: the job must run anyway.
        threads.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}
