import Foundation
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

@Suite struct AgencyAPITests {
    static let token = "test-admin-token-0123456789abcdef"
    static let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
    static let centre = #"{"code":"000.00.30.H26","name":"Trung tâm Phục vụ hành chính công Thành phố Hà Nội","kind":"service_centre","unitCode":"01"}"#

    func withAgencyApp(_ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        try await withTestEnvironment { environment, configuration, capture in
            try await UnitRepository(database: environment.database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
            let secured = AppEnvironment(database: environment.database, calendar: environment.calendar, adminToken: Self.token)
            let app = buildApplication(configuration, environment: secured, logger: capture.logger)
            try await app.test(.router) { client in try await body(client, environment.database) }
        }
    }

    @Test func createReadUpdateWithVersions() async throws {
        try await withAgencyApp { client, _ in
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: Self.centre)) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/api/v1/agencies/000.00.30.H26")
                let body = try json(response.body)
                #expect(body["version"] as? Int == 1 && body["kindLabel"] as? String == "Trung tâm Phục vụ hành chính công")
            }
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .get) { response in
                #expect(response.headers[.eTag] == "\"1\"")
            }
            var headers = Self.auth
            headers[.ifMatch] = "\"1\""
            let renamed = #"{"name":"Trung tâm Phục vụ hành chính công Hà Nội","kind":"service_centre","unitCode":"01"}"#
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .put, headers: headers, body: ByteBuffer(string: renamed)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"2\"")
            }
            // The same If-Match again is stale: 409, and the current version in the ETag.
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .put, headers: headers, body: ByteBuffer(string: renamed)) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[.eTag] == "\"2\"")
                let body = try json(response.body)
                #expect(body["code"] as? String == "version.stale")
            }
            // Without any version: 428.
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .put, headers: Self.auth, body: ByteBuffer(string: renamed)) { response in
                #expect(response.status == .preconditionRequired)
            }
            try await client.execute(uri: "/api/v1/agencies/000.00.99.H26", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func writesNeedTheAdministratorToken() async throws {
        try await withAgencyApp { client, database in
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: Self.centre)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/agencies", method: .post,
                                     headers: [.authorization: "Bearer wrong-token-0123456789abcdefgh", .contentType: "application/json"],
                                     body: ByteBuffer(string: Self.centre)) { response in
                #expect(response.status == .unauthorized)
            }
            #expect(try await AgencyRepository(database: database).find("000.00.30.H26") == nil)
        }
    }

    @Test func invalidInputNamesEveryFieldAndWritesNothing() async throws {
        try await withAgencyApp { client, database in
            let bad = #"{"code":"bad code!","kind":"ministry","unitCode":"77777","validFrom":"2025-13-01"}"#
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try json(response.body)["errors"] as? [[String: Any]] ?? []
                let paths = Set(errors.compactMap { $0["path"] as? String })
                #expect(paths == ["name", "kind", "validFrom"])
            }
            let unknownUnit = #"{"code":"000.00.05.H26","name":"Sở Tư pháp","kind":"department","unitCode":"99"}"#
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: unknownUnit)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try json(response.body)["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["path"] as? String == "unitCode" && errors.first?["code"] as? String == "unit.unknown")
            }
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                let body = try json(response.body)
                #expect(body["code"] as? String == "body.malformed")
            }
            #expect(try await AgencyRepository(database: database).list(unitCode: nil, kind: nil, afterCode: nil, limit: 5).isEmpty)
        }
    }

    @Test func aRetriedCreateReturnsTheFirstResponse() async throws {
        try await withAgencyApp { client, database in
            var headers = Self.auth
            headers[Headers.idempotencyKey] = "create-centre-1"
            var bodies: [String] = []
            for _ in 0..<2 {
                let text = try await client.execute(uri: "/api/v1/agencies", method: .post, headers: headers, body: ByteBuffer(string: Self.centre)) { response in
                    #expect(response.status == .created)
                    return String(buffer: response.body)
                }
                bodies.append(text)
            }
            #expect(bodies[0] == bodies[1])
            // Without the key the same body is a duplicate.
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: Self.centre)) { response in
                #expect(response.status == .conflict)
            }
            // The same key for another body is refused.
            let other = #"{"code":"000.00.05.H26","name":"Sở Tư pháp","kind":"department","unitCode":"01"}"#
            try await client.execute(uri: "/api/v1/agencies", method: .post, headers: headers, body: ByteBuffer(string: other)) { response in
                #expect(response.status == .unprocessableContent)
                let body = try json(response.body)
                #expect(body["code"] as? String == "idempotency.key_reused")
            }
            #expect(try await AgencyRepository(database: database).list(unitCode: nil, kind: nil, afterCode: nil, limit: 5).count == 1)
        }
    }

    @Test func deleteOnlyWhatNothingRefersTo() async throws {
        try await withAgencyApp { client, _ in
            let committee = #"{"code":"000.00.00.H26","name":"Ủy ban nhân dân Thành phố Hà Nội","kind":"province_committee","unitCode":"01"}"#
            let centre = #"{"code":"000.00.30.H26","name":"Trung tâm","kind":"service_centre","unitCode":"01","parentCode":"000.00.00.H26"}"#
            for body in [committee, centre] {
                try await client.execute(uri: "/api/v1/agencies", method: .post, headers: Self.auth, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .created)
                }
            }
            var headers = Self.auth
            headers[.ifMatch] = "\"1\""
            // The committee is the centre's parent: kept.
            try await client.execute(uri: "/api/v1/agencies/000.00.00.H26", method: .delete, headers: headers) { response in
                #expect(response.status == .conflict)
                let body = try json(response.body)
                #expect(body["code"] as? String == "in_use")
            }
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .delete, headers: Self.auth) { response in
                #expect(response.status == .preconditionRequired)
            }
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .delete, headers: headers) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/agencies/000.00.30.H26", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
