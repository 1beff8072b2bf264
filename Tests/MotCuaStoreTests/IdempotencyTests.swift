import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// A create runs once per `Idempotency-Key`: the key's record is written last, with the create's
/// writes, so a key used before rolls the whole create back and the first response is returned.
@Suite struct IdempotencyTests {
    static func count(_ table: String, in database: Database) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRetriedCreateIsRolledBackWholeAndAnsweredAsTheFirst(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submission = try DossierServiceTests.onlineSubmission()
            let now = DossierServiceTests.vnTime(16, 9)
            @Sendable func submit(key: String) async throws -> Idempotency.StoredResponse {
                try await Idempotency.once(.init(scope: "dossiers:citizen-1", key: key, requestHash: "h"), in: database) { db in
                    .init(status: 201, body: try await service.submit(submission, by: DossierServiceTests.citizen, at: now, in: db).code)
                }
            }
            let day = WorkingCalendar.local(now).0
            let first = try await submit(key: "k-1")
            #expect(first.body == DossierCode.make(agencyCode: DossierServiceTests.centre, date: day, sequence: 1))
            // The retry runs its create, then fails on the key: its dossier, history and number are gone.
            #expect(try await submit(key: "k-1") == first)
            #expect(try await Self.count("dossiers", in: database) == 1)
            #expect(try await Self.count("dossier_events", in: database) == 1)
            #expect(try await Self.count("idempotency_keys", in: database) == 1)
            #expect(try await submit(key: "k-2").body == DossierCode.make(agencyCode: DossierServiceTests.centre, date: day, sequence: 2))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRetryThatWouldNowFailIsAnsweredAsTheFirst(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let key = Idempotency.Request(scope: "test", key: "k-1", requestHash: "abc")
            let first = try await Idempotency.once(key, in: database) { _ in .init(status: 201, body: #"{"n":1}"#) }
            // Say the procedure was withdrawn in between: the retry still gets what the first request got.
            let retry = try await Idempotency.once(key, in: database) { _ in throw StoreError.notFound("procedure 2.001583") }
            #expect(retry == first)
            // A key not used before: the failure is the answer, and the key stays free.
            let fresh = Idempotency.Request(scope: "test", key: "k-2", requestHash: "abc")
            await #expect(throws: StoreError.notFound("procedure 2.001583")) {
                try await Idempotency.once(fresh, in: database) { _ in throw StoreError.notFound("procedure 2.001583") }
            }
            #expect(try await database.withConnection { try await Idempotency.lookup(fresh, in: $0) } == nil)
            // The same key with another request is refused, and what that request wrote is rolled back.
            let side = Idempotency.Request(scope: "test", key: "k-side", requestHash: "abc")
            await #expect(throws: StoreError.idempotencyKeyReused) {
                try await Idempotency.once(Idempotency.Request(scope: "test", key: "k-1", requestHash: "other"), in: database) { db in
                    try await Idempotency.record(side, .init(status: 201, body: "{}"), in: db)
                    return .init(status: 201, body: #"{"n":2}"#)
                }
            }
            #expect(try await database.withConnection { try await Idempotency.lookup(side, in: $0) } == nil)
            #expect(try await database.withConnection { try await Idempotency.lookup(key, in: $0) } == first)
        }
    }

    /// Retries queued behind a busy writer: on SQLite they commit in one batch, where a failed one
    /// is answered before the batch's commit. Each still gets the first answer, and one create stands.
    @Test(arguments: TestDatabases.kinds)
    func retriesQueuedTogetherGetTheFirstAnswer(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let key = Idempotency.Request(scope: "test", key: "k-1", requestHash: "abc")
            let answers = try await withThrowingTaskGroup(of: Idempotency.StoredResponse.self) { group in
                group.addTask {
                    try await database.transaction { _ in try await Task.sleep(for: .milliseconds(300)) }
                    return .init(status: 0, body: "")
                }
                try await Task.sleep(for: .milliseconds(50))
                for attempt in 0..<6 {
                    group.addTask {
                        try await Idempotency.once(key, in: database) { db in
                            // What the create makes: one row of its own.
                            try await Idempotency.record(.init(scope: "made", key: "\(attempt)", requestHash: ""), .init(status: 201, body: ""), in: db)
                            return .init(status: 201, body: "\(attempt)")
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.filter { $0.status != 0 }
            }
            #expect(answers.count == 6 && Set(answers.map(\.body)).count == 1, "\(answers)")
            let made = try await database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = 'made'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(made == 1)
        }
    }
}
