import Foundation
import MotCuaCore
import SQLKit

/// One queued message.
public struct OutboxMessage: Sendable, Equatable {
    public let dossierCode: String
    public let eventSequence: Int
    public let channel: NotificationChannel
    public let recipient: String
    public let body: String
    public let attempts: Int
}

/// The notification outbox: written with the status change, drained by `NotificationSender`.
public enum OutboxRepository {
    /// A claimed message is not due again until this lease runs out: long enough that a sender
    /// never races itself, short enough that a message claimed by a sender that crashed is sent
    /// after all (with the same key, so a gateway that got the first attempt drops the second).
    static let lease: TimeInterval = 10 * 60

    /// Queues the message for the event on every channel the applicant can be reached on.
    static func enqueue(code: String, sequence: Int, event: DossierEvent, state: DossierState, applicant: Applicant,
                        channels: [NotificationChannel], in db: any SQLDatabase) async throws {
        try await enqueue(code: code, events: [(sequence, event, state)], applicant: applicant, channels: channels, in: db)
    }

    /// The same for several events of one dossier, in one statement: each statement is parsed
    /// again under SQLite's write lock, so a counter intake's two events and their channels cost one.
    static func enqueue(code: String, events: [(sequence: Int, event: DossierEvent, state: DossierState)], applicant: Applicant,
                        channels: [NotificationChannel], in db: any SQLDatabase) async throws {
        let columns = ["dossier_code", "event_sequence", "channel", "recipient", "body", "attempts", "next_attempt_ms"]
        var values: [any Encodable & Sendable] = []
        for (sequence, event, state) in events {
            guard let body = NotificationText.message(code: code, event: event, state: state) else { continue }
            for (channel, recipient) in applicant.recipients(on: channels) {
                values += [code, sequence, channel.rawValue, recipient, body, 0, StoredTime.ms(event.at)] as [any Encodable & Sendable]
            }
        }
        let rows = values.count / columns.count
        guard rows > 0 else { return }
        try await db.write(db.cached("outbox.enqueue.\(rows)", values) { db, v in
            v.chunks(of: columns.count).reduce(db.insert(into: "notification_outbox").columns(columns)) { $0.values(Array($1)) }
                .ignoringConflicts(with: ["dossier_code", "event_sequence", "channel"])
        }.query, into: "notification_outbox")
    }

    /// Due messages, oldest first, each claimed by one conditional update: of two senders racing
    /// for a row only one gets it back.
    static func claimDue(now: Date, limit: Int, in db: any SQLDatabase) async throws -> [OutboxMessage] {
        let nowMs = StoredTime.ms(now)
        let candidates = try await db.select()
            .columns("dossier_code", "event_sequence", "channel").from("notification_outbox")
            .where("sent_ms", .is, SQLLiteral.null).where("failed_ms", .is, SQLLiteral.null)
            .where("next_attempt_ms", .lessThanOrEqual, nowMs)
            .orderBy("next_attempt_ms").limit(limit).all()
        var claimed: [OutboxMessage] = []
        for row in candidates {
            let code = try row.decode(column: "dossier_code", as: String.self)
            let sequence = try row.decode(column: "event_sequence", as: Int.self)
            let channel = try row.decode(column: "channel", as: String.self)
            let won = try await db.update("notification_outbox")
                .set("next_attempt_ms", to: SQLBind(StoredTime.ms(now.addingTimeInterval(lease))))
                .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
                .where("dossier_code", .equal, code).where("event_sequence", .equal, sequence).where("channel", .equal, channel)
                .where("next_attempt_ms", .lessThanOrEqual, nowMs).where("sent_ms", .is, SQLLiteral.null)
                .returning("recipient", "body", "attempts").first()
            guard let won, let kind = NotificationChannel(rawValue: channel) else { continue }
            claimed.append(OutboxMessage(dossierCode: code, eventSequence: sequence, channel: kind,
                                         recipient: try won.decode(column: "recipient", as: String.self),
                                         body: try won.decode(column: "body", as: String.self),
                                         attempts: try won.decode(column: "attempts", as: Int.self)))
        }
        return claimed
    }

    static func markSent(_ message: OutboxMessage, at now: Date, in db: any SQLDatabase) async throws {
        try await key(db.update("notification_outbox").set("sent_ms", to: SQLBind(StoredTime.ms(now))), message).run()
    }

    /// A failed attempt: due again at `retryAt`, or given up (nil) with the error kept.
    static func markFailed(_ message: OutboxMessage, error: String, retryAt: Date?, at now: Date, in db: any SQLDatabase) async throws {
        var update = db.update("notification_outbox").set("last_error", to: SQLBind(String(error.prefix(500))))
        if let retryAt {
            update = update.set("next_attempt_ms", to: SQLBind(StoredTime.ms(retryAt)))
        } else {
            update = update.set("failed_ms", to: SQLBind(StoredTime.ms(now)))
        }
        try await key(update, message).run()
    }

    private static func key(_ update: SQLUpdateBuilder, _ message: OutboxMessage) -> SQLUpdateBuilder {
        update.where("dossier_code", .equal, message.dossierCode).where("event_sequence", .equal, message.eventSequence)
            .where("channel", .equal, message.channel.rawValue)
    }

    /// Every message queued for a dossier, in order (for tests and the officer's view).
    public static func messages(for code: String, in db: any SQLDatabase) async throws
        -> [(sequence: Int, channel: String, body: String, sent: Bool, attempts: Int)] {
        try await db.select().columns("event_sequence", "channel", "body", "sent_ms", "attempts").from("notification_outbox")
            .where("dossier_code", .equal, code).orderBy("event_sequence").orderBy("channel").all()
            .map { row in
                (try row.decode(column: "event_sequence", as: Int.self), try row.decode(column: "channel", as: String.self),
                 try row.decode(column: "body", as: String.self), try row.decode(column: "sent_ms", as: Int64?.self) != nil,
                 try row.decode(column: "attempts", as: Int.self))
            }
    }
}
