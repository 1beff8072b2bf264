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
    /// On a thread of its own: the priority a new thread gets, and whether it may raise its own.
    static func probe() -> (base: Int32, mayRaise: Bool) {
        final class Outcome: @unchecked Sendable {
            var base: Int32 = 0
            var raised = false
        }
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.base = WriterPriority.currentThread()
            #if os(Linux)
            outcome.raised = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, outcome.base - WriterPriority.steps) == 0
            #endif
            done.signal()
        }
        thread.start()
        done.wait()
        return (outcome.base, outcome.raised)
    }

    /// The nice value of a thread started from the calling one.
    static func childThreadPriority() -> Int32 {
        final class Outcome: @unchecked Sendable { var nice: Int32 = 0 }
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.nice = WriterPriority.currentThread()
            done.signal()
        }
        thread.start()
        done.wait()
        return outcome.nice
    }

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
