import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/procedures`, their process versions, the catalogue import/export and the
/// re-engineering report. Reads are public; writes need the administrator.
struct CatalogueRoutes {
    let environment: AppEnvironment
    var catalogue: CatalogueRepository { CatalogueRepository(database: environment.database) }

    struct Summary: Encodable, Sendable {
        let code: String
        let name: String
        let field: String
        let level: String
        let onlineLevel: String
        let status: String
    }

    struct PublishInput: Decodable {
        let steps: [ProcessStep]
        let validFrom: CivilDate?
        let note: String?
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("procedures") { request, _ in
            let filters = try Self.filters(request)
            let paging = try Paging(request)
            let offset = try paging.after.map { text -> Int in
                guard let offset = Int(text), offset >= 0 else {
                    throw Problem.validation([.init(path: "cursor", code: "invalid", message: "cursor không hợp lệ")])
                }
                return offset
            } ?? 0
            let found = try await catalogue.search(filters, offset: offset, limit: paging.limit + 1)
            let items = found.prefix(paging.limit).map {
                Summary(code: $0.code, name: $0.name, field: $0.field, level: $0.level.rawValue,
                        onlineLevel: $0.onlineLevel.rawValue, status: $0.status.rawValue)
            }
            let next = found.count > paging.limit ? Data(String(offset + paging.limit).utf8).base64URL : nil
            return JSON(Page(items: Array(items), nextCursor: next))
        }

        api.get("procedures/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let stored = try await catalogue.find(code) else { throw Problem.notFound("Không có thủ tục mã \(code)") }
            return try Self.respond(stored, status: .ok)
        }

        api.post("procedures") { request, context in
            try await environment.auth.requireAdmin(request)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let document = try JSONCoding.decoder.decode(ProcedureDocument.self, from: body)
            return try await idempotentCreate(request, scope: "procedures.create", body: body, database: environment.database,
                                              location: "/api/v1/procedures/\(document.procedure.code)") { db in
                try Self.encode(try await CatalogueRepository.create(document, in: db))
            }
        }

        api.put("procedures/{code}") { request, context in
            try await environment.auth.requireAdmin(request)
            let code = try context.parameters.require("code")
            let procedure = try await request.decode(as: Procedure.self, context: context)
            guard procedure.code == code else {
                throw Problem.validation([.init(path: "code", code: "immutable", message: "Không đổi được mã thủ tục")])
            }
            let expected = try Headers.expectedVersion(request, body: nil)
            let updated = try await storeCall {
                try await environment.database.transaction { db in
                    try await CatalogueRepository.update(procedure, expectedVersion: expected, in: db)
                }
            }
            return try Self.respond(updated, status: .ok)
        }

        api.get("procedures/{code}/processes") { _, context in
            let code = try context.parameters.require("code")
            guard let stored = try await catalogue.find(code) else { throw Problem.notFound("Không có thủ tục mã \(code)") }
            return JSON(Page(items: stored.document.processes, nextCursor: nil))
        }

        api.get("procedures/{code}/processes/{version}") { _, context in
            let code = try context.parameters.require("code")
            guard let version = Int(try context.parameters.require("version")),
                  let process = try await catalogue.processVersion(code, version: version)
            else { throw Problem.notFound("Không có phiên bản quy trình này của thủ tục \(code)") }
            return JSON(process)
        }

        api.post("procedures/{code}/processes") { request, context in
            try await environment.auth.requireAdmin(request)
            let code = try context.parameters.require("code")
            let input = try await request.decode(as: PublishInput.self, context: context)
            let validFrom = input.validFrom ?? WorkingCalendar.local(Date()).0
            let process = try await storeCall {
                try await environment.database.transaction { db in
                    try await CatalogueRepository.publish(code, steps: input.steps, validFrom: validFrom, note: input.note, in: db)
                }
            }
            var response = try JSON(process, status: .created).response(from: request, context: context)
            response.headers[.location] = "/api/v1/procedures/\(code)/processes/\(process.version)"
            return response
        }

        api.get("catalogue/export") { _, _ in
            JSON(CatalogueDocument(procedures: try await catalogue.allDocuments()))
        }

        api.post("catalogue/import") { request, context in
            try await environment.auth.requireAdmin(request)
            let body = try await request.body.collect(upTo: 64 * 1024 * 1024)
            let document = try JSONCoding.decoder.decode(CatalogueDocument.self, from: body)
            guard document.formatVersion == CatalogueDocument.currentFormat else {
                throw Problem.validation([.init(path: "formatVersion", code: "unsupported",
                                                message: "Chỉ hỗ trợ định dạng \(CatalogueDocument.currentFormat)")])
            }
            let counts = try await storeCall { try await Self.importAll(document, into: environment.database) }
            return JSON(counts)
        }

        api.get("reports/reengineering") { request, context in
            let report = try await Self.reengineering(request, catalogue: catalogue)
            let query = request.uri.queryParameters
            if query["format"] == "csv" || request.headers[.accept]?.contains("text/csv") == true {
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                       .contentDisposition: "attachment; filename=\"tai-cau-truc-quy-trinh.csv\""],
                                body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + report.csv())))
            }
            return try JSON(ReportBody(report)).response(from: request, context: context)
        }
    }

    /// Imports every document in one transaction: all or nothing, with each issue's path
    /// prefixed by the document's position.
    static func importAll(_ catalogue: CatalogueDocument, into database: Database) async throws -> [String: Int] {
        try await database.transaction { db in
            var counts = ["created": 0, "updated": 0, "unchanged": 0]
            for (index, document) in catalogue.procedures.enumerated() {
                do {
                    counts[try await CatalogueRepository.importDocument(document, in: db).rawValue, default: 0] += 1
                } catch StoreError.invalid(let issues) {
                    throw StoreError.invalid(issues.map { FieldIssue("procedures[\(index)].\($0.path)", $0.code, $0.message) })
                }
            }
            return counts
        }
    }

    struct ReportBody: Encodable, Sendable {
        let processesCompared: Int
        let processesReengineered: Int
        let stepsCut: Int
        let hoursCut: Double
        let rows: [Row]

        struct Row: Encodable, Sendable {
            let procedureCode, procedureName, field: String
            let fromVersion, toVersion, stepsBefore, stepsAfter, stepsCut: Int
            let hoursBefore, hoursAfter, hoursCut: Double
            let reengineered: Bool
        }

        init(_ report: ReengineeringReport) {
            processesCompared = report.processesCompared
            processesReengineered = report.processesReengineered
            stepsCut = report.stepsCut
            hoursCut = report.hoursCut
            rows = report.rows.map {
                Row(procedureCode: $0.procedureCode, procedureName: $0.procedureName, field: $0.field, fromVersion: $0.fromVersion,
                    toVersion: $0.toVersion, stepsBefore: $0.stepsBefore, stepsAfter: $0.stepsAfter, stepsCut: $0.stepsCut,
                    hoursBefore: $0.hoursBefore, hoursAfter: $0.hoursAfter, hoursCut: $0.hoursCut, reengineered: $0.isReengineered)
            }
        }
    }

    /// `from`/`to` dates, or `procedure` with `fromVersion`/`toVersion`; narrowed by `procedure`,
    /// `agency` and `field`.
    static func reengineering(_ request: Request, catalogue: CatalogueRepository) async throws -> ReengineeringReport {
        let query = request.uri.queryParameters
        let documents = ReengineeringReport.scope(try await catalogue.allDocuments(), procedure: query["procedure"].map(String.init),
                                                  agency: query["agency"].map(String.init), field: query["field"].map(String.init))
        if let fromVersion = query["fromVersion"], let toVersion = query["toVersion"] {
            guard query["procedure"] != nil, let document = documents.first, let a = Int(String(fromVersion)),
                  let b = Int(String(toVersion)), let report = ReengineeringReport.versions(a, b, of: document)
            else {
                throw Problem.validation([.init(path: "fromVersion", code: "invalid",
                                                message: "So sánh hai phiên bản cần procedure và hai phiên bản có thật")])
            }
            return report
        }
        var issues: [Problem.FieldError] = []
        let from = query["from"].flatMap { CivilDate(String($0)) }
        let to = query["to"].flatMap { CivilDate(String($0)) }
        if from == nil { issues.append(.init(path: "from", code: "date", message: "Ngày bắt đầu theo dạng YYYY-MM-DD")) }
        if to == nil { issues.append(.init(path: "to", code: "date", message: "Ngày kết thúc theo dạng YYYY-MM-DD")) }
        if let from, let to, to < from { issues.append(.init(path: "to", code: "before_start", message: "Ngày kết thúc trước ngày bắt đầu")) }
        guard issues.isEmpty, let from, let to else { throw Problem.validation(issues) }
        return ReengineeringReport.between(from, to, documents: documents)
    }

    static func filters(_ request: Request) throws -> CatalogueFilters {
        let query = request.uri.queryParameters
        var issues: [Problem.FieldError] = []
        func parse<T: RawRepresentable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let text = query[Substring(name)] else { return nil }
            guard let value = T(rawValue: String(text)) else {
                issues.append(.init(path: name, code: "enum", message: "Giá trị không hợp lệ"))
                return nil
            }
            return value
        }
        let level = parse("level", Procedure.Level.self)
        let online = parse("onlineLevel", Procedure.OnlineLevel.self)
        let status = query["status"] == "any" ? nil : (parse("status", Procedure.Status.self) ?? .published)
        if let q = query["q"], q.count > 200 { issues.append(.init(path: "q", code: "too_long", message: "Tối đa 200 ký tự")) }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return CatalogueFilters(query: query["q"].map(String.init), field: query["field"].map(String.init),
                                agency: query["agency"].map(String.init), level: level, onlineLevel: online, status: status)
    }

    struct DocumentBody: Encodable, Sendable {
        let document: ProcedureDocument
        let version: Int

        enum CodingKeys: String, CodingKey { case version }

        func encode(to encoder: any Encoder) throws {
            try document.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
        }
    }

    static func encode(_ stored: StoredProcedure) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(DocumentBody(document: stored.document, version: stored.version)), as: UTF8.self)
    }

    static func respond(_ stored: StoredProcedure, status: HTTPResponse.Status) throws -> Response {
        Response.json(try encode(stored), status: status, headers: [.eTag: "\"\(stored.version)\""])
    }
}
