import Foundation
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
}

@Suite struct UnitAPITests {
    /// Hà Nội from both registers and its merges: enough to page, resolve and split.
    static func importHanoi(_ database: Database) async throws {
        let repository = UnitRepository(database: database)
        try await repository.importUnits(try BundledUnitLists.legacy().filter { $0.provinceCode == "01" })
        try await repository.importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
        let legacyCodes = Set(try BundledUnitLists.legacy().filter { $0.provinceCode == "01" }.map(\.code))
        let currentCodes = Set(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" }.map(\.code))
        try await repository.applyMerges(try BundledUnitLists.merges().filter {
            legacyCodes.contains($0.legacyCode) && currentCodes.contains($0.successorCode)
        })
    }

    @Test func listsPagesAndResolvesUnits() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            try await Self.importHanoi(environment.database)
            let app = buildApplication(configuration, environment: environment, logger: capture.logger)
            try await app.test(.router) { client in
                var cursor: String?
                var codes: [String] = []
                repeat {
                    let uri = "/api/v1/units?level=commune&parent=01&limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
                    cursor = try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .ok)
                        let body = try json(response.body)
                        codes += (body["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                        return body["nextCursor"] as? String
                    }
                } while cursor != nil
                #expect(codes.count == 126 && Set(codes).count == 126 && codes == codes.sorted())

                try await client.execute(uri: "/api/v1/units/00001?scheme=legacy", method: .get) { response in
                    let body = try json(response.body)
                    #expect(body["name"] as? String == "Phường Phúc Xá")
                    let successors = body["successors"] as? [[String: Any]] ?? []
                    #expect(successors.first?["code"] as? String == "00097")
                    #expect(successors.first?["name"] as? String == "Phường Hồng Hà")
                    #expect(successors.first?["isDefault"] as? Bool == true)
                }
                try await client.execute(uri: "/api/v1/units/00004", method: .get) { response in
                    let text = String(buffer: response.body)
                    // Vietnamese as it is, never \u-escaped.
                    #expect(text.contains(#""name":"Phường Ba Đình""#))
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                }
            }
        }
    }

    @Test func errorsAreProblemDocuments() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            let app = buildApplication(configuration, environment: environment, logger: capture.logger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/units/99999", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    let body = try json(response.body)
                    #expect(body["code"] as? String == "not_found" && body["status"] as? Int == 404)
                    #expect(body["title"] as? String == "Không tìm thấy")
                }
                try await client.execute(uri: "/api/v1/units?scheme=1990&limit=500", method: .get) { response in
                    #expect(response.status == .unprocessableContent)
                    let body = try json(response.body)
                    #expect(body["code"] as? String == "validation.failed")
                    let errors = body["errors"] as? [[String: Any]] ?? []
                    #expect(errors.first?["path"] as? String == "scheme")
                }
                try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                    #expect(response.status == .notFound)
                    let body = try json(response.body)
                    #expect(body["code"] as? String == "not_found")
                }
            }
        }
    }

    @Test func adminTokenComparison() throws {
        let guardWithToken = AdminGuard(token: "0123456789abcdef0123456789")
        #expect(guardWithToken.matches("Bearer 0123456789abcdef0123456789"))
        #expect(!guardWithToken.matches("Bearer 0123456789abcdef012345678"))
        #expect(!guardWithToken.matches("Bearer 0123456789abcdef01234567890"))
        #expect(!guardWithToken.matches("0123456789abcdef0123456789"))
        // No token configured: the header never matches, whatever is sent.
        #expect(!AdminGuard(token: nil).matches("Bearer "))
    }
}

@Suite struct OpenAPITests {
    /// Every API and service route the router serves is in /openapi.json with its method, and the
    /// document lists no route that does not exist. The browser's pages are not part of the API;
    /// they are listed here, so a new route has to be put in one place or the other.
    @Test func theDocumentDescribesEveryRoute() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            let router = buildRouter(environment)
            let all = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \(Self.normalise("\($0.path)"))" })
            let served = all.subtracting(Self.pages)
            #expect(Self.pages.isSubset(of: all), "pages listed but not served: \(Self.pages.subtracting(all).sorted())")
            let app = Application(router: router, logger: capture.logger)
            let documented: Set<String> = try await app.test(.router) { client in
                try await client.execute(uri: "/openapi.json", method: .get) { response in
                    let document = try json(response.body)
                    #expect(document["openapi"] as? String == "3.1.0")
                    let paths = try #require(document["paths"] as? [String: [String: Any]])
                    return Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
                }
            }
            #expect(served.subtracting(documented).isEmpty, "missing from openapi.json: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(served.count >= 6)
        }
    }

    static let pages: Set<String> = [
        "get /", "get /static/{file}", "get /thu-tuc/{code}", "get /tra-cuu", "get /dang-nhap", "post /dang-nhap", "get /dang-ky",
        "post /dang-ky", "post /dang-xuat", "get /ho-so-cua-toi", "get /can-bo/ho-so", "get /ho-so/{code}", "get /ho-so/{code}/mau/{form}",
        "post /ho-so/{code}/{verb}", "get /lanh-dao/han-xu-ly", "get /thu-tuc/{code}/nop-ho-so", "post /thu-tuc/{code}/nop-ho-so",
        "get /bao-cao", "get /bao-cao/ho-so", "get /bao-cao/chi-so", "get /bao-cao/tai-ve",
    ]

    /// Router paths print captures as `{name}` or `:name`; OpenAPI writes `{name}`.
    static func normalise(_ path: String) -> String {
        let parts = path.split(separator: "/").map { part -> String in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
