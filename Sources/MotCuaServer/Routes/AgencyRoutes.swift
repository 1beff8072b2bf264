import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/agencies`: read by anyone, written by the administrator, versioned.
struct AgencyRoutes {
    let environment: AppEnvironment
    var agencies: AgencyRepository { AgencyRepository(database: environment.database) }

    struct AgencyBody: Codable, Sendable {
        let code: String
        let name: String
        let kind: String
        let kindLabel: String
        let unitScheme: String
        let unitCode: String
        let parentCode: String?
        let validFrom: CivilDate?
        let validTo: CivilDate?
        let version: Int

        init(_ stored: VersionedAgency) {
            let agency = stored.agency
            code = agency.code
            name = agency.name
            kind = agency.kind.rawValue
            kindLabel = agency.kind.label
            unitScheme = agency.unitScheme.rawValue
            unitCode = agency.unitCode
            parentCode = agency.parentCode
            validFrom = agency.validFrom
            validTo = agency.validTo
            version = stored.version
        }
    }

    /// What a client sends; every field optional so that a missing one is a 422 naming it.
    struct AgencyInput: Decodable {
        var code: String?
        var name: String?
        var kind: String?
        var unitScheme: String?
        var unitCode: String?
        var parentCode: String?
        var validFrom: String?
        var validTo: String?
        var expectedVersion: Int?

        func agency(code pathCode: String? = nil) throws -> Agency {
            var v = Validator()
            let code = pathCode ?? self.code ?? ""
            if pathCode != nil, let bodyCode = self.code, bodyCode != pathCode {
                v.add("code", "immutable", "Không đổi được mã cơ quan")
            }
            v.require(!code.isEmpty, "code", "required", "Không được để trống")
            v.require(name != nil, "name", "required", "Không được để trống")
            let kind = self.kind.flatMap(Agency.Kind.init(rawValue:))
            v.require(kind != nil, "kind", self.kind == nil ? "required" : "enum",
                      "Một trong: \(Agency.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            let scheme = unitScheme.map { UnitScheme(rawValue: $0) } ?? .reform2025
            v.require(scheme != nil, "unitScheme", "enum", "2025 hoặc legacy")
            v.require(unitCode != nil, "unitCode", "required", "Không được để trống")
            let from = validFrom.map(CivilDate.init) ?? nil, to = validTo.map(CivilDate.init) ?? nil
            v.require(validFrom == nil || from != nil, "validFrom", "date", "Ngày theo dạng YYYY-MM-DD")
            v.require(validTo == nil || to != nil, "validTo", "date", "Ngày theo dạng YYYY-MM-DD")
            try v.check()
            let agency = Agency(code: code, name: name ?? "", kind: kind ?? .other, unitScheme: scheme ?? .reform2025,
                                unitCode: unitCode ?? "", parentCode: parentCode, validFrom: from, validTo: to)
            try agency.validate()
            return agency
        }
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("agencies") { request, _ in
            let query = request.uri.queryParameters
            var kind: Agency.Kind?
            if let text = query["kind"] {
                guard let parsed = Agency.Kind(rawValue: String(text)) else {
                    throw Problem.validation([.init(path: "kind", code: "enum", message: "Loại cơ quan không hợp lệ")])
                }
                kind = parsed
            }
            let paging = try Paging(request)
            let found = try await agencies.list(unitCode: query["unit"].map(String.init), kind: kind,
                                                afterCode: paging.after, limit: paging.limit + 1)
            return JSON(paging.page(found.map(AgencyBody.init), key: \.code))
        }

        api.get("agencies/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let found = try await agencies.find(code) else { throw Problem.notFound("Không có cơ quan mã \(code)") }
            return try Self.respond(found, status: .ok)
        }

        api.post("agencies") { request, context in
            try await environment.auth.requireAdmin(request)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let input = try JSONCoding.decoder.decode(AgencyInput.self, from: body)
            let agency = try storeCallSync { try input.agency() }
            return try await idempotentCreate(request, scope: "agencies.create", body: body, database: environment.database,
                                              location: "/api/v1/agencies/\(agency.code)") { db in
                try Self.encode(try await AgencyRepository.create(agency, in: db))
            }
        }

        api.put("agencies/{code}") { request, context in
            try await environment.auth.requireAdmin(request)
            let code = try context.parameters.require("code")
            let input = try await request.decode(as: AgencyInput.self, context: context)
            let agency = try storeCallSync { try input.agency(code: code) }
            let expected = try Headers.expectedVersion(request, body: input.expectedVersion)
            let updated = try await storeCall {
                try await environment.database.transaction { db in
                    try await AgencyRepository.update(agency, expectedVersion: expected, in: db)
                }
            }
            return try Self.respond(updated, status: .ok)
        }

        api.delete("agencies/{code}") { request, context in
            try await environment.auth.requireAdmin(request)
            let code = try context.parameters.require("code")
            let expected = try Headers.expectedVersion(request, body: nil)
            try await storeCall {
                try await environment.database.transaction { db in
                    try await AgencyRepository.delete(code, expectedVersion: expected, in: db)
                }
            }
            return Response(status: .noContent)
        }
    }

    static func encode(_ agency: VersionedAgency) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(AgencyBody(agency)), as: UTF8.self)
    }

    static func respond(_ agency: VersionedAgency, status: HTTPResponse.Status) throws -> Response {
        Response.json(try encode(agency), status: status, headers: [.eTag: "\"\(agency.version)\""])
    }
}

/// `storeCall` for synchronous domain checks.
func storeCallSync<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as ValidationError {
        throw Problem.from(error)
    }
}
