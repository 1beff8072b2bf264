import Foundation

/// Counts sign-in attempts per account and per address in a sliding window, in memory: the second
/// line of defence after the lock-out, which only counts failures of existing accounts. It also
/// bounds how much bcrypt work one address can make the server do.
actor LoginLimiter {
    struct Limit: Sendable {
        let attempts: Int
        let window: TimeInterval
    }

    let perAccount: Limit
    let perAddress: Limit
    private var attempts: [String: [Date]] = [:]

    init(perAccount: Limit = Limit(attempts: 10, window: 300), perAddress: Limit = Limit(attempts: 30, window: 300)) {
        self.perAccount = perAccount
        self.perAddress = perAddress
    }

    /// Records an attempt, or returns the seconds to wait when either limit is reached.
    func admit(account: String, address: String, now: Date = Date()) -> Int? {
        let keys = [("account:\(account)", perAccount), ("address:\(address)", perAddress)]
        var wait = 0
        for (key, limit) in keys {
            let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < limit.window }
            attempts[key] = recent
            if recent.count >= limit.attempts, let oldest = recent.first {
                wait = max(wait, Int((limit.window - now.timeIntervalSince(oldest)).rounded(.up)))
            }
        }
        if wait > 0 { return max(wait, 1) }
        for (key, _) in keys { attempts[key, default: []].append(now) }
        if attempts.count > 100_000 { prune(now) }
        return nil
    }

    /// Forgets keys with no attempt in the longest window, so memory stays bounded.
    private func prune(_ now: Date) {
        let horizon = max(perAccount.window, perAddress.window)
        attempts = attempts.filter { _, times in times.last.map { now.timeIntervalSince($0) < horizon } ?? false }
    }
}
