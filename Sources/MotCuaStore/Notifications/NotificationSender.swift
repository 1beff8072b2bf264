import Foundation
import Logging
import MotCuaCore

/// Delivers a message on one channel (an SMS gateway, an e-mail relay, Zalo's API). Throwing means
/// the message was not accepted and may be retried.
public protocol NotificationAdapter: Sendable {
    func send(_ message: OutboxMessage) async throws
}

/// The default adapter: writes that a message would go out, with the recipient masked (a phone
/// number or an address is personal data and never logged whole).
public struct LogNotificationAdapter: NotificationAdapter {
    let channel: NotificationChannel
    let logger: Logger

    public init(channel: NotificationChannel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    public func send(_ message: OutboxMessage) async throws {
        logger.info("notification", metadata: ["channel": "\(channel.rawValue)", "recipient": "\(Self.mask(message.recipient))",
                                               "dossier": "\(message.dossierCode)", "length": "\(message.body.count)"])
    }

    /// `******5678`, `t***@example.vn`.
    static func mask(_ recipient: String) -> String {
        if let at = recipient.firstIndex(of: "@") {
            return "\(recipient.prefix(1))***\(recipient[at...])"
        }
        return String(repeating: "*", count: max(0, recipient.count - 4)) + recipient.suffix(4)
    }
}

/// Drains the outbox: claims due messages, sends each through its channel's adapter, and marks
/// it sent, or due again after a growing delay, or given up after `maxAttempts`.
public struct NotificationSender: Sendable {
    public let database: Database
    public let adapters: [NotificationChannel: any NotificationAdapter]
    public var maxAttempts = 5
    /// Delay before the n-th retry: base × 2^(n-1).
    public var retryBase: TimeInterval = 30

    public init(database: Database, adapters: [NotificationChannel: any NotificationAdapter]) {
        self.database = database
        self.adapters = adapters
    }

    /// Sends what is due now; returns how many messages were sent.
    @discardableResult
    public func drain(now: Date = Date(), batch: Int = 100) async throws -> Int {
        let claimed = try await database.transaction { db in try await OutboxRepository.claimDue(now: now, limit: batch, in: db) }
        var failedBookkeeping = 0
        var sent = 0
        for message in claimed {
            let outcome: Result<Void, any Error>
            do {
                guard let adapter = adapters[message.channel] else {
                    throw DatabaseError("no adapter for \(message.channel.rawValue)")
                }
                try await adapter.send(message)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            // Each message's bookkeeping stands alone: a database error on one leaves the others'
            // alone, and a message the gateway accepted is never scheduled again (if marking it
            // fails, its lease runs out and the gateway sees the same key once more).
            do {
                switch outcome {
                case .success:
                    try await database.transaction { db in try await OutboxRepository.markSent(message, at: Date(), in: db) }
                    sent += 1
                case .failure(let error):
                    let retryAt = message.attempts < maxAttempts
                        ? now.addingTimeInterval(retryBase * pow(2, Double(message.attempts - 1))) : nil
                    try await database.transaction { db in
                        try await OutboxRepository.markFailed(message, error: "\(type(of: error)): \(error)", retryAt: retryAt, at: now, in: db)
                    }
                }
            } catch {
                failedBookkeeping += 1
            }
        }
        if failedBookkeeping > 0 { throw DatabaseError("\(failedBookkeeping) outbox message(s) could not be marked") }
        return sent
    }
}
