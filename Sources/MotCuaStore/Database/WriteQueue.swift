import Foundation
import SQLKit

/// A batch's transaction was ended by closing the connection; `untried` did not run.
struct DroppedTransaction: Error {
    let untried: [any PendingWrite]
}

/// A queued transaction, of whatever result type.
protocol PendingWrite: Sendable {
    func run(in db: any SQLDatabase) async throws
    /// Answers with the result of `run`: called only after the commit.
    func succeed()
    func fail(_ error: any Error)
}

/// Its `result` is written by `run` and read by `succeed`, both in the one drain, one after the other.
final class PendingTransaction<R: Sendable>: PendingWrite, @unchecked Sendable {
    private let body: @Sendable (any SQLDatabase) async throws -> R
    private let continuation: CheckedContinuation<R, any Error>
    private var result: R?

    init(body: @escaping @Sendable (any SQLDatabase) async throws -> R, continuation: CheckedContinuation<R, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(in db: any SQLDatabase) async throws {
        result = try await body(db)
    }

    func succeed() {
        guard let result else { preconditionFailure("a write answered before it ran") }
        continuation.resume(returning: result)
    }

    func fail(_ error: any Error) {
        continuation.resume(throwing: error)
    }
}

/// The writes waiting for the writer, and whether a drain is running.
final class WriteQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [any PendingWrite] = []
    private var draining = false
    private var batches = 0

    var counts: (waiting: Int, batches: Int) { lock.withLock { (pending.count, batches) } }

    /// Queues `write`; true when the caller must start a drain.
    func append(_ write: any PendingWrite) -> Bool {
        lock.withLock {
            pending.append(write)
            defer { draining = true }
            return !draining
        }
    }

    /// Up to `max` writes in arrival order, or nil (and the drain ends) when none wait.
    func takeBatch(max: Int) -> [any PendingWrite]? {
        lock.withLock {
            if pending.isEmpty {
                draining = false
                return nil
            }
            let batch = Array(pending.prefix(max))
            pending.removeFirst(batch.count)
            batches += 1
            return batch
        }
    }

    /// Writes taken but not tried go first again.
    func putBack(_ writes: [any PendingWrite]) {
        guard !writes.isEmpty else { return }
        lock.withLock { pending.insert(contentsOf: writes, at: 0) }
    }
}
