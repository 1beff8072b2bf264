#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The scheduling priority SQLite's writer thread asks for. Every write waits for that one thread,
/// so when the CPU is contended (a surge, where most requests are refused and refusing them takes
/// CPU too) the writer should be the last to wait for a core. On 2 cores the surge met its target
/// (goodput at 4 × the saturation load ≥ 0.9 × saturation) in eight runs of eight with it, and
/// seven of eleven without: a gain within that machine's noise, kept because it is the right order.
///
/// Raising a thread's priority needs CAP_SYS_NICE or a soft RLIMIT_NICE that allows it (systemd's
/// `LimitNICE=-10`); without either the writer keeps the process's priority and works the same.
enum WriterPriority {
    /// Nice steps above the rest of the process (lower runs first); per thread on Linux.
    static let steps: Int32 = 10

    /// Raises the calling thread's priority if allowed; says which, once, at info level. Threads it
    /// starts later (Swift's runtime may start a worker from the thread that wakes a task) begin
    /// at the normal priority again (SCHED_RESET_ON_FORK), so only the writer runs ahead.
    static func raiseCurrentThread(logger: Logger) {
        #if os(Linux)
        let base = currentThread()
        var parameters = sched_param()
        // SCHED_OTHER with SCHED_RESET_ON_FORK (0x40000000, not exported to Swift); needs no privilege.
        let resets = sched_setscheduler(0, SCHED_OTHER | 0x4000_0000, &parameters) == 0
        // On Linux PRIO_PROCESS with 0 names the calling thread, not the whole process.
        let raised = resets && setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, base - steps) == 0
        #else
        let raised = false
        #endif
        if raised {
            logger.info("the SQLite writer thread runs at raised priority", metadata: ["nice steps": "\(steps)"])
        } else {
            logger.info("the SQLite writer thread could not raise its priority (needs CAP_SYS_NICE or LimitNICE=-\(steps))")
        }
    }

    /// The calling thread's nice value: for tests.
    static func currentThread() -> Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }
}
