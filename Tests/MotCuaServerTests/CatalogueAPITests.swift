import Foundation
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

@Suite struct CatalogueAPITests {
    static let auth = AgencyAPITests.auth

    func withCatalogueApp(_ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        try await withTestEnvironment { environment, configuration, capture in
            try await UnitRepository(database: environment.database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
            _ = try await DemoData.seedAgencies(environment.database, capture.logger)
            _ = try await DemoData.seedCatalogue(environment.database, capture.logger)
            let secured = AppEnvironment(database: environment.database, calendar: environment.calendar, adminToken: AgencyAPITests.token)
            let app = buildApplication(configuration, environment: secured, logger: capture.logger)
            try await app.test(.router) { client in try await body(client, environment.database) }
        }
    }

    func codes(_ client: any TestClientProtocol, _ query: String) async throws -> [String] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
        return try await client.execute(uri: "/api/v1/procedures?q=\(encoded)", method: .get) { response in
            #expect(response.status == .ok)
            return (try json(response.body)["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        }
    }

    @Test func searchOverHTTP() async throws {
        try await withCatalogueApp { client, _ in
            let birth = try await codes(client, "dang ky khai sinh")
            #expect(birth.first == "1.001193")
            #expect(try await codes(client, "ĐĂNG KÝ KHAI SINH") == birth)
            #expect(try await codes(client, "sinh khai đăng") == birth)
            #expect(try await codes(client, "dang ky khai s").first == "1.001193")
            try await client.execute(uri: "/api/v1/procedures?level=ward", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
            // Paging through everything published returns each procedure once.
            var cursor: String?
            var all: [String] = []
            repeat {
                cursor = try await client.execute(uri: "/api/v1/procedures?limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get) { response in
                    let body = try json(response.body)
                    all += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                    return body["nextCursor"] as? String
                }
            } while cursor != nil
            #expect(all.count == 30 && Set(all).count == 30)
        }
    }

    @Test func publishingAProcessKeepsTheOldVersion() async throws {
        try await withCatalogueApp { client, _ in
            let v1 = try await client.execute(uri: "/api/v1/procedures/1.001193/processes/1", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let over = #"{"validFrom":"2026-12-01","steps":[{"name":"Tiếp nhận","role":"intake","budgetWorkingHours":2},{"name":"Ký duyệt","role":"leader","budgetWorkingHours":7}]}"#
            try await client.execute(uri: "/api/v1/procedures/1.001193/processes", method: .post, headers: Self.auth, body: ByteBuffer(string: over)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try json(response.body)["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["path"] as? String == "steps[1].budgetWorkingHours")
                #expect(errors.first?["code"] as? String == "process.over_statutory_limit")
                #expect((errors.first?["message"] as? String)?.contains("«Ký duyệt»") == true)
            }
            let ok = #"{"validFrom":"2026-12-01","note":"Tái cấu trúc","steps":[{"name":"Tiếp nhận và thẩm định","role":"specialist","budgetWorkingHours":4},{"name":"Ký duyệt","role":"leader","budgetWorkingHours":2}]}"#
            let newVersion = try await client.execute(uri: "/api/v1/procedures/1.001193/processes", method: .post, headers: Self.auth, body: ByteBuffer(string: ok)) { response in
                #expect(response.status == .created)
                return try json(response.body)["version"] as? Int ?? 0
            }
            #expect(newVersion >= 2)
            try await client.execute(uri: "/api/v1/procedures/1.001193/processes/1", method: .get) { response in
                #expect(String(buffer: response.body) == v1)
            }
            try await client.execute(uri: "/api/v1/procedures/1.001193/processes", method: .post, body: ByteBuffer(string: ok)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/reports/reengineering?procedure=1.001193&fromVersion=1&toVersion=\(newVersion)", method: .get) { response in
                let body = try json(response.body)
                #expect(body["processesCompared"] as? Int == 1)
                #expect((body["rows"] as? [[String: Any]])?.first?["stepsAfter"] as? Int == 2)
            }
        }
    }

    @Test func exportImportAndTheReengineeringReport() async throws {
        try await withCatalogueApp { client, database in
            let exported = try await client.execute(uri: "/api/v1/catalogue/export", method: .get) { response in
                #expect(response.status == .ok)
                return response.body
            }
            try await client.execute(uri: "/api/v1/catalogue/import", method: .post, headers: Self.auth, body: exported) { response in
                #expect(response.status == .ok)
                let counts = try json(response.body)
                #expect(counts["unchanged"] as? Int == 30 && counts["created"] as? Int == 0)
            }
            // A document that breaks a rule fails the whole import, naming where.
            var broken = try JSONSerialization.jsonObject(with: Data(buffer: exported)) as! [String: Any]
            var procedures = broken["procedures"] as! [[String: Any]]
            var first = procedures[0]
            first["code"] = "9.000001"
            first["receivingAgencies"] = ["000.77.77.H26"]
            procedures.append(first)
            broken["procedures"] = procedures
            let brokenBody = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: broken))
            try await client.execute(uri: "/api/v1/catalogue/import", method: .post, headers: Self.auth, body: brokenBody) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try json(response.body)["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["path"] as? String == "procedures[30].receivingAgencies[0]")
            }
            #expect(try await CatalogueRepository(database: database).find("9.000001") == nil)

            try await client.execute(uri: "/api/v1/reports/reengineering?from=2025-07-01&to=2026-06-30", method: .get) { response in
                let body = try json(response.body)
                let expected = ReengineeringReport.between(CivilDate(year: 2025, month: 7, day: 1)!, CivilDate(year: 2026, month: 6, day: 30)!,
                                                           documents: try DemoData.catalogue().procedures)
                #expect(body["processesReengineered"] as? Int == expected.processesReengineered)
                #expect(body["stepsCut"] as? Int == expected.stepsCut)
                #expect(expected.processesReengineered >= 5)
            }
            try await client.execute(uri: "/api/v1/reports/reengineering?from=2025-07-01&to=2026-06-30&format=csv", method: .get) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(String(buffer: response.body).contains("Mã thủ tục,Tên thủ tục"))
            }
            try await client.execute(uri: "/api/v1/reports/reengineering?from=2025-13-01", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }
}
