import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaStore
#if canImport(Glibc)
import Glibc
#endif

/// SQLite's writer thread asks for a higher priority than the rest of the process, and runs
/// every write at it; where the process may not raise it (no CAP_SYS_NICE), writes still run.
@Suite struct WriterPriorityTests {
    /// `body`'s result, run on a new thread started from the calling one.
    static func onNewThread<T>(_ body: @escaping @Sendable () -> T) -> T {
        let outcome = Outcome<T>(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.value = body()
            done.signal()
        }
        thread.start()
        done.wait()
        return outcome.value!
    }

    /// On a thread of its own: the priority a new thread gets, and whether it may raise its own.
    static func probe() -> (base: Int32, mayRaise: Bool) {
        onNewThread {
            let base = WriterPriority.currentThread()
            #if os(Linux)
            return (base, setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, base - WriterPriority.steps) == 0)
            #else
            return (base, false)
            #endif
        }
    }

    /// The nice value of a thread started from the calling one.
    static func childThreadPriority() -> Int32 { onNewThread { WriterPriority.currentThread() } }

    @Test func writesRunAtTheWritersPriority() async throws {
        let (base, mayRaise) = Self.probe()
        try await GroupCommitTests.withWriter { writer, _ in
            let (own, child) = try await writer.transaction { _ in (WriterPriority.currentThread(), Self.childThreadPriority()) }
            #expect(own == (mayRaise ? base - WriterPriority.steps : base))
            // Only the writer's thread: a thread it starts, and the caller's, keep the normal priority.
            #expect(child == base)
            #expect(WriterPriority.currentThread() == base)
        }
    }
}

/// What a thread hands back to the one waiting for it (after the semaphore: never both at once).
private final class Outcome<T>: @unchecked Sendable {
    var value: T?
}
