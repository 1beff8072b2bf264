import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/units`: both registers, read-only (the lists come from `motcua units import`).
struct UnitRoutes {
    let units: UnitRepository

    struct UnitBody: Encodable, Sendable {
        let scheme: String
        let code: String
        let level: String
        let name: String
        let type: String
        let parentCode: String?
        let provinceCode: String
        let validFrom: CivilDate?
        let validTo: CivilDate?
        var successors: [SuccessorBody]?

        init(_ unit: AdministrativeUnit) {
            scheme = unit.scheme.rawValue
            code = unit.code
            level = unit.level.rawValue
            name = unit.name
            type = unit.type
            parentCode = unit.parentCode
            provinceCode = unit.provinceCode
            validFrom = unit.validFrom
            validTo = unit.validTo
        }
    }

    struct SuccessorBody: Encodable, Sendable {
        let code: String
        let name: String?
        let isDefault: Bool
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("units") { request, _ in
            let query = request.uri.queryParameters
            let scheme = try Self.scheme(query["scheme"].map(String.init))
            var level: UnitLevel?
            if let text = query["level"] {
                guard let parsed = UnitLevel(rawValue: String(text)) else {
                    throw Problem.validation([.init(path: "level", code: "enum", message: "level là province, district hoặc commune")])
                }
                level = parsed
            }
            let paging = try Paging(request)
            let fetched = try await units.units(scheme, level: level, parentCode: query["parent"].map(String.init),
                                                afterCode: paging.after, limit: paging.limit + 1)
            return JSON(paging.page(fetched.map(UnitBody.init), key: \.code))
        }
        api.get("units/{code}") { request, context in
            let code = try context.parameters.require("code")
            let scheme = try Self.scheme(request.uri.queryParameters["scheme"].map(String.init))
            guard let unit = try await units.unit(scheme, code: code) else {
                throw Problem.notFound("Không có đơn vị hành chính mã \(code) (\(scheme.rawValue))")
            }
            var body = UnitBody(unit)
            if scheme == .legacy, unit.level == .commune {
                var successors: [SuccessorBody] = []
                for successor in try await units.successors(ofLegacyCommune: code) {
                    let name = try await units.unit(.reform2025, code: successor.successorCode)?.name
                    successors.append(SuccessorBody(code: successor.successorCode, name: name, isDefault: successor.isDefault))
                }
                body.successors = successors
            }
            return JSON(body)
        }
    }

    static func scheme(_ text: String?) throws -> UnitScheme {
        guard let text else { return .reform2025 }
        guard let scheme = UnitScheme(rawValue: text) else {
            throw Problem.validation([.init(path: "scheme", code: "enum", message: "scheme là 2025 hoặc legacy")])
        }
        return scheme
    }
}
