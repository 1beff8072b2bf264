import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Load shedding: past `max-in-flight` requests a request is answered at once with 503 and
/// Retry-After, does nothing, and can be retried with the same Idempotency-Key.
@Suite struct AdmissionTests {
    @Test func gateCountsPlaces() {
        let gate = AdmissionGate(limit: 2)
        #expect(gate.enter() && gate.enter())
        #expect(!gate.enter() && gate.shed == 1 && gate.current == 2)
        gate.leave()
        #expect(gate.enter() && gate.current == 2)
    }

    @Test(arguments: TestDatabases.kinds)
    func fullServerShedsWithRetryAfterAndLosesNothing(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            let gate = app.environment.admission
            // Every place taken, as in a surge.
            for _ in 0..<gate.limit { #expect(gate.enter()) }
            let shed = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "surge-1")
            #expect(shed.status == .serviceUnavailable && shed.headers[.retryAfter] == "1", "\(shed.text)")
            #expect(shed.body["code"] as? String == "server.overloaded" && (shed.body["title"] as? String)?.contains("quá tải") == true)
            let none = try await app.environment.database.withConnection { db in
                try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossiers").first(decodingColumn: "n", as: Int.self)
            }
            #expect(none == 0)
            // Probes still answer; a browser gets a page, not JSON.
            let health = try await app.client.execute(uri: "/readyz", method: .get) { $0.status }
            #expect(health == .ok)
            let page = try await app.client.execute(uri: "/", method: .get, headers: [.accept: "text/html"]) { response in
                (response.status, response.headers[.contentType] ?? "", String(buffer: response.body))
            }
            #expect(page.0 == .serviceUnavailable && page.1.hasPrefix("text/html") && page.2.contains("Hệ thống đang quá tải"))
            // Places free again: the retry with the same key creates the dossier, once.
            for _ in 0..<gate.limit { gate.leave() }
            let retried = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "surge-1")
            #expect(retried.status == .created, "\(retried.text)")
            let again = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "surge-1")
            #expect(again.status == .created && again.body["code"] as? String == retried.body["code"] as? String)
            #expect(gate.current == 0 && gate.shed == 2)
        }
    }
}
