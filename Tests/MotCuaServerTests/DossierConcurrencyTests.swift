import Foundation
import HTTPTypes
import MotCuaCore
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Requests run in parallel: retried submissions create one dossier; two officers acting on the
/// same version, exactly one succeeds and the other gets 409 with the current version.
@Suite struct DossierConcurrencyTests {
    static func count(_ table: String, _ app: DossierApp) async throws -> Int {
        try await app.environment.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func retriedSubmissionsCreateOneDossier(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            let replies = try await withThrowingTaskGroup(of: DossierApp.Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "retry-1")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map(\.text))")
            #expect(Set(replies.map(\.text)).count == 1)
            // The first answer and every replay point at the one dossier.
            let code = try #require(replies[0].body["code"] as? String)
            #expect(replies.allSatisfy { $0.headers[.location] == "/api/v1/dossiers/\(code)" }, "\(replies.map { $0.headers[.location] })")
            #expect(try await Self.count("dossiers", app) == 1)
            #expect(try await Self.count("dossier_events", app) == 1)
            #expect(try await Self.count("notification_outbox", app) == 1)
            // The same key with another body is refused; another key creates a second dossier.
            let changed = DossierApp.companyApplication.replacingOccurrences(of: "Trần Thị Bình", with: "Trần Thị Bính")
            let reused = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: changed, key: "retry-1")
            #expect(reused.status == .unprocessableContent && reused.body["code"] as? String == "idempotency.key_reused")
            #expect(try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: changed, key: "retry-2").status == .created)
            #expect(try await Self.count("dossiers", app) == 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func twoOfficersAtOnceOneWins(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            let created = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication)
            let code = try #require(created.body["code"] as? String)
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/accept", as: "intake", version: 1).status == .ok)
            // Two officers allowed to forward it do so at once, at the version both read.
            let replies = try await withThrowingTaskGroup(of: DossierApp.Reply.self) { group in
                for who in ["intake", "centreLeader"] {
                    group.addTask { try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: who, version: 2) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = replies.map(\.status.code).sorted()
            #expect(statuses == [200, 409], "\(replies.map(\.text))")
            let loser = try #require(replies.first { $0.status == .conflict })
            #expect(loser.body["code"] as? String == "version.stale" && loser.headers[.eTag] == "\"3\"")
            // One forward happened: one event, the dossier at step 2.
            let events = try await app.call(.get, "/api/v1/dossiers/\(code)/events", as: "intake")
            #expect((events.body["items"] as? [[String: Any]])?.count == 3)
        }
    }
}
