import Foundation

/// Counts this process's writes of what the busy paths hold copies of, so that those copies are
/// checked again at once after one: when it is written, and again when its transaction ends
/// (`settle`), before its caller hears of it. Writes by another process are seen when a copy's
/// time runs out. Two counts, so that a sign-out does not drop the catalogue's copies:
/// - reference data (catalogue, agencies, units), for `ProcedureCache` and `AgencyProvinces`;
/// - what a session stands for (a sign-out, a lock-out, an unlock), for `SessionCache`.
enum ReferenceWrites {
    enum Kind: Int, CaseIterable {
        case reference, sessions
    }

    /// Both counts at one instant, taken when a transaction starts.
    struct Generations {
        fileprivate let counts: [Int]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts = Array(repeating: 0, count: Kind.allCases.count)

    static func generation(of kind: Kind) -> Int { lock.withLock { counts[kind.rawValue] } }

    static var generations: Generations { lock.withLock { Generations(counts: counts) } }

    static func happened(_ kind: Kind = .reference) { lock.withLock { counts[kind.rawValue] += 1 } }

    /// Called once a transaction has committed or rolled back: each count that moved since
    /// `generations` (by it, or by anything else meanwhile) moves once more, so that a copy read
    /// while the write was not yet committed (or not yet rolled back) is dropped too.
    static func settle(since generations: Generations) {
        lock.withLock {
            for kind in counts.indices where counts[kind] != generations.counts[kind] { counts[kind] += 1 }
        }
    }
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
         writes: @escaping @Sendable () -> Int = { ReferenceWrites.generation(of: .reference) }) {
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
