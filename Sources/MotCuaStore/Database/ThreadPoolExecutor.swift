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

    /// Runs `body` on one of the pool's threads, in turn with the jobs; never on the caller's
    /// thread: if the pool has stopped, not at all. For what must touch a pool thread itself.
    func runOnPoolThread(_ body: @escaping @Sendable () -> Void) {
        threads.submit { state in
            if case .active = state { body() }
        }
    }

    func shutdown() async throws {
        try await threads.shutdownGracefully()
    }
}
