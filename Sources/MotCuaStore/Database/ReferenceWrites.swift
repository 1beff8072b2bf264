import Foundation

/// Counts this process's writes of reference data (catalogue, agencies, units) and of what
/// sessions stand for (a sign-out, a lock-out, an unlock), so that copies held in memory for the
/// busy paths (`ProcedureCache`, `AgencyProvinces`, `SessionCache`) are checked again at
/// once after one: when it is written, and again when its transaction ends (`settle`), before
/// its caller hears of it. Writes by another process are seen when a copy's time runs out.
enum ReferenceWrites {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0

    static var generation: Int { lock.withLock { count } }

    static func happened() { lock.withLock { count += 1 } }

    /// Called once a transaction has committed or rolled back: if reference data was written
    /// since `generation` (by it, or by anything else meanwhile), counts once more, so that a copy
    /// read while the write was not yet committed (or not yet rolled back) is dropped too.
    static func settle(since generation: Int) { lock.withLock { if count != generation { count += 1 } } }
}

/// How long a copy of reference data is used without asking the database again: for `keepFor`,
/// and only while this process has written no reference data (`ReferenceWrites`). The clock and
/// the count can be replaced in tests.
struct HoldingRule: Sendable {
    /// When a copy was read, and the count of writes then.
    struct Stamp {
        let at: ContinuousClock.Instant
        let generation: Int
    }

    let keepFor: Duration
    let now: @Sendable () -> ContinuousClock.Instant
    let writes: @Sendable () -> Int

    init(keepFor: Duration = .seconds(1), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
         writes: @escaping @Sendable () -> Int = { ReferenceWrites.generation }) {
        self.keepFor = keepFor
        self.now = now
        self.writes = writes
    }

    /// Taken before the read, so that a write during the read makes the next use read again.
    func stamp() -> Stamp { Stamp(at: now(), generation: writes()) }

    /// Whether a copy read at `held` may still be used at `current`.
    func holds(_ held: Stamp, at current: Stamp) -> Bool {
        held.generation == current.generation && current.at - held.at < keepFor
    }
}
