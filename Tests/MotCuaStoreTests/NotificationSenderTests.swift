import Foundation
import Logging
import MotCuaCore
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaStore

/// The outbox: written with the status change, drained once, retried with growing delays after a
/// failure, given up after the last attempt, and never sent twice by senders racing each other.
@Suite struct NotificationSenderTests {
    /// Records what it sent; fails the first `failures` sends.
    final class Recorder: NotificationAdapter, @unchecked Sendable {
        private let lock = NSLock()
        private var failures: Int
        private var log: [String] = []

        init(failing: Int = 0) { failures = failing }

        var sent: [String] { lock.withLock { log } }

        func send(_ message: OutboxMessage) async throws {
            let fail = lock.withLock { () -> Bool in
                defer { failures -= 1 }
                return failures > 0
            }
            if fail { throw DatabaseError("gateway unavailable") }
            lock.withLock { log.append("\(message.recipient): \(message.body)") }
        }
    }

    static let intake = Viewer(actor: DossierActor(id: "intake-1", role: .intakeOfficer), agencies: ["000.00.30.H26"])
    static let citizen = Viewer(actor: DossierActor(id: "citizen-1", role: .citizen))

    /// A dossier submitted online and accepted: two messages on SMS, two on e-mail.
    static func twoEvents(_ database: Database) async throws -> String {
        try await CatalogueRepositoryTests.seeded(database)
        let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
        let dossier = try await service.submit(
            procedureCode: "2.001583", channel: .online, receivingAgency: "000.00.30.H26",
            applicant: Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678", email: "binh@example.vn"),
            by: citizen)
        _ = try await service.act(.accept, on: dossier.code, expectedVersion: 1, by: intake)
        return dossier.code
    }

    @Test(arguments: TestDatabases.kinds)
    func drainedOnceEvenWhenSendersRace(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let code = try await Self.twoEvents(database)
            let sms = Recorder(), email = Recorder()
            let sender = NotificationSender(database: database, adapters: [.sms: sms, .email: email])
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await sender.drain() } }
                return try await group.reduce(0, +)
            }
            #expect(counts == 4)
            #expect(sms.sent.count == 2 && email.sent.count == 2)
            #expect(sms.sent.first == "0912345678: Hồ sơ \(code) đã được gửi trực tuyến và đang chờ tiếp nhận.")
            #expect(try await sender.drain() == 0)
            let messages = try await database.withConnection { try await OutboxRepository.messages(for: code, in: $0) }
            #expect(messages.count == 4 && messages.allSatisfy { $0.sent && $0.attempts == 1 })
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func failuresAreRetriedWithBackoffThenGivenUp(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let code = try await Self.twoEvents(database)
            let sms = Recorder(failing: 100), email = Recorder(failing: 2)
            var sender = NotificationSender(database: database, adapters: [.sms: sms, .email: email])
            sender.maxAttempts = 3
            sender.retryBase = 60
            let start = Date()
            #expect(try await sender.drain(now: start) == 0)
            // Not due again before the first delay; both e-mails go through on their second attempt.
            #expect(try await sender.drain(now: start.addingTimeInterval(30)) == 0)
            #expect(try await sender.drain(now: start.addingTimeInterval(61)) == 2)
            // SMS: the second delay is twice the first; after the third attempt it is given up.
            #expect(try await sender.drain(now: start.addingTimeInterval(61 + 90)) == 0)
            #expect(try await sender.drain(now: start.addingTimeInterval(61 + 121)) == 0)
            #expect(try await sender.drain(now: start.addingTimeInterval(100_000)) == 0)
            let messages = try await database.withConnection { try await OutboxRepository.messages(for: code, in: $0) }
            #expect(messages.filter { $0.channel == "email" }.allSatisfy { $0.sent && $0.attempts == 2 })
            #expect(messages.filter { $0.channel == "sms" }.allSatisfy { !$0.sent && $0.attempts == 3 })
            #expect(sms.sent.isEmpty)
        }
    }

    /// A sender that crashed after claiming leaves nothing stranded: the claim is a lease, and the
    /// message is due again (with the same key for the gateway) once the lease runs out.
    @Test(arguments: TestDatabases.kinds)
    func aClaimIsALease(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let code = try await Self.twoEvents(database)
            let start = Date()
            let claimed = try await database.transaction { try await OutboxRepository.claimDue(now: start, limit: 10, in: $0) }
            #expect(claimed.count == 4)
            // Claimed and not marked (the sender "crashed"): not due during the lease, due after it.
            #expect(try await database.transaction { try await OutboxRepository.claimDue(now: start.addingTimeInterval(60), limit: 10, in: $0) }
                .isEmpty)
            let sms = Recorder(), email = Recorder()
            let sender = NotificationSender(database: database, adapters: [.sms: sms, .email: email])
            #expect(try await sender.drain(now: start.addingTimeInterval(OutboxRepository.lease + 1)) == 4)
            let messages = try await database.withConnection { try await OutboxRepository.messages(for: code, in: $0) }
            #expect(messages.allSatisfy { $0.sent && $0.attempts == 2 })
        }
    }

    @Test func theLogAdapterMasksTheRecipient() {
        #expect(LogNotificationAdapter.mask("0912345678") == "******5678")
        #expect(LogNotificationAdapter.mask("binh@example.vn") == "b***@example.vn")
    }

    @Test func messagesCarryNoPersonalData() throws {
        var state = DossierState(channel: .online, processVersion: 1, submittedAt: Date())
        state.missingDocuments = ["Điều lệ công ty"]
        let event = DossierEvent(command: "request_supplement", actor: DossierActor(id: "x", role: .intakeOfficer), at: Date(),
                                 fromStatus: .accepted, toStatus: .supplementRequested, reason: "Thiếu", data: [:])
        let text = try #require(NotificationText.message(code: "C-1", event: event, state: state))
        #expect(text == "Hồ sơ C-1 cần bổ sung: Điều lệ công ty. Thời hạn xử lý tạm dừng đến khi nhận đủ.")
        let forward = DossierEvent(command: "forward", actor: DossierActor(id: "x", role: .intakeOfficer), at: Date(),
                                   fromStatus: .accepted, toStatus: .processing, reason: nil, data: [:])
        #expect(NotificationText.message(code: "C-1", event: forward, state: state) == nil)
    }
}
