#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The scheduling priority SQLite's writer thread asks for. Every write waits for that one thread,
/// so when the CPU is contended (a surge, where most requests are refused and refusing them takes
/// CPU too) the writer should be the last to wait for a core. On 2 cores the surge met its target
/// (goodput at 4 × the saturation load ≥ 0.9 × saturation) in six runs of six with it, and six
/// of nine without: a gain within that machine's noise, kept because it is the right order.
///
/// Raising a thread's priority needs CAP_SYS_NICE or a soft RLIMIT_NICE that allows it (systemd's
/// `LimitNICE=-10`); without either the writer keeps the process's priority and works the same.
enum WriterPriority {
    /// A nice value, per thread on Linux: lower runs first.
    static let nice: Int32 = -10

    /// Raises the calling thread's priority if allowed; says which, once, at info level.
    static func raiseCurrentThread(logger: Logger) {
        #if os(Linux)
        // On Linux PRIO_PROCESS with 0 names the calling thread, not the whole process.
        let raised = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0
        #else
        let raised = false
        #endif
        if raised {
            logger.info("the SQLite writer thread runs at raised priority", metadata: ["nice": "\(nice)"])
        } else {
            logger.info("the SQLite writer thread could not raise its priority (needs CAP_SYS_NICE or LimitNICE=\(nice))")
        }
    }

    /// The calling thread's nice value: for tests.
    static func currentThread() -> Int32 {
        #if os(Linux)
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }
}
