import Foundation
import MotCuaCore

/// The accounts behind session tokens, which every authenticated request asks for. Under load
/// that query was a fifth of the CPU of an intake on SQLite: a reader's page cache is emptied
/// by each commit, so every lookup read its pages afresh.
///
/// A copy is used for the holding rule's time (a second by default), and only while this
/// process has ended no session and unlocked no account (`ReferenceWrites`, `.sessions`): a
/// sign-out, a lock-out or an unlock here is seen by the next request. One made by another
/// server on the same database is seen within that second. A session's expiry is checked on
/// every use, held or not. Keyed by the token's hash, as the table is: the cache keeps no token.
/// Copies past their time are dropped within a second or so of it (on the next use), so the
/// accounts' personal data does not stay in memory after their sessions end.
final class SessionCache: @unchecked Sendable {
    private struct Entry {
        let account: Account
        let expiresMs: Int64
        let read: HoldingRule.Stamp
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var lastSweep: ContinuousClock.Instant
    let rule: HoldingRule
    /// Entries kept at most; past it those no longer held are dropped, then all if need be.
    let capacity: Int

    init(rule: HoldingRule = HoldingRule(writes: { ReferenceWrites.generation(of: .sessions) }), capacity: Int = 10_000) {
        self.rule = rule
        self.capacity = capacity
        lastSweep = rule.now()
    }

    /// Drops the copy for `token` (its owner signed out here).
    func forget(token: String) {
        let hash = SessionRepository.hash(token)
        lock.withLock { _ = entries.removeValue(forKey: hash) }
    }

    /// The account behind `token` if its session exists and has not expired at `now`.
    func account(forToken token: String, at now: Date, in database: Database) async throws -> Account? {
        let hash = SessionRepository.hash(token)
        let stamp = rule.stamp()
        let nowMs = StoredTime.ms(now)
        let held = lock.withLock {
            if stamp.at - lastSweep >= rule.keepFor { sweep(at: stamp) }
            return entries[hash]
        }
        if let held, rule.holds(held.read, at: stamp) {
            return nowMs < held.expiresMs ? held.account : nil
        }
        let found = try await database.withConnection { db in
            try await SessionRepository.account(tokenHash: hash, nowMs: nowMs, in: db)
        }
        lock.withLock {
            guard let found else {
                entries.removeValue(forKey: hash)
                return
            }
            if entries.count >= capacity {
                sweep(at: stamp)
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[hash] = Entry(account: found.account, expiresMs: found.expiresMs, read: stamp)
        }
        return found?.account
    }

    /// Drops the copies no longer held. Called with the lock taken.
    private func sweep(at stamp: HoldingRule.Stamp) {
        entries = entries.filter { rule.holds($0.value.read, at: stamp) }
        lastSweep = stamp.at
    }

    /// How many sessions are held: for tests.
    var count: Int { lock.withLock { entries.count } }
}
