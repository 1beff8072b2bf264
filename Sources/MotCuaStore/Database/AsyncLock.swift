/// A first-come, first-served lock for async code.
///
/// SQLite allows one writer at a time and makes the others wait inside `busy_timeout`, which
/// blocks a thread of the small I/O pool; with more waiting writers than threads the holder can no
/// longer run its COMMIT. Queuing writers here, before they take a connection, keeps the threads free.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    func withLock<R: Sendable>(_ body: @Sendable () async throws -> R) async rethrows -> R {
        await lock()
        do {
            let result = try await body()
            unlock()
            return result
        } catch {
            unlock()
            throw error
        }
    }
}
