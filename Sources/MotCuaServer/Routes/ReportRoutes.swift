import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/reports`: the figures, the dossiers behind a figure, the service index and the
/// exports. Who may see which agencies is decided by `ReportService`.
struct ReportRoutes {
    let environment: AppEnvironment
    var reports: ReportService { environment.reports }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("reports") { request, _ in
            let caller = try await environment.auth.require(request)
            let query = try ReportQuery(request)
            let report = try await reports.report(query.request, by: caller.viewer, breakdown: query.breakdown)
            return JSON(ReportBody(report, names: try await ReportNames.rows(report, query.breakdown, in: environment.database)))
        }
        api.get("reports/dossiers") { request, context in
            let caller = try await environment.auth.require(request)
            let query = try ReportQuery(request)
            let paging = try Paging(request)
            let figure = try Self.figure(request)
            let facts = try await reports.dossiers(behind: figure, query.request, by: caller.viewer, after: paging.after, limit: paging.limit + 1)
            return try JSON(paging.page(facts.map(FactBody.init), key: \.code)).response(from: request, context: context)
        }
        api.get("reports/service-index") { request, _ in
            let caller = try await environment.auth.require(request)
            let query = try ReportQuery(request)
            let index = try ServiceIndex.bundled.get()
            let scores = try await reports.serviceIndex(query.request, by: caller.viewer, index: index)
            let names = try await ReportNames.of(scores.agencies.map(\.agency), table: "agencies", in: environment.database)
            return JSON(ServiceIndexBody(
                name: index.name, note: index.note, from: query.request.period.from.description, to: query.request.period.to.description,
                total: ServiceIndexBody.score(scores.total, index),
                agencies: scores.agencies.map { .init(agency: $0.agency, name: names[$0.agency], score: ServiceIndexBody.score($0.score, index)) }))
        }
        api.get("reports/export") { request, _ in
            let caller = try await environment.auth.require(request)
            return try await Self.export(request, caller: caller, environment: environment)
        }
    }

    static func figure(_ request: Request) throws -> ReportFigures.Count {
        guard let text = request.uri.queryParameters["figure"], let figure = ReportFigures.Count(rawValue: String(text)) else {
            throw Problem.validation([.init(path: "figure", code: "enum",
                                            message: "Một trong: " + ReportFigures.Count.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        return figure
    }

    /// The report as a CSV or XLSX download (`format`), the same table the screen shows.
    static func export(_ request: Request, caller: Caller, environment: AppEnvironment) async throws -> Response {
        let query = try ReportQuery(request)
        let format = request.uri.queryParameters["format"].map(String.init) ?? "csv"
        guard format == "csv" || format == "xlsx" else {
            throw Problem.validation([.init(path: "format", code: "enum", message: "csv hoặc xlsx")])
        }
        let report = try await environment.reports.report(query.request, by: caller.viewer, breakdown: query.breakdown)
        let table = ReportTable(report, breakdown: query.breakdown, names: try await ReportNames.rows(report, query.breakdown, in: environment.database))
        let period = query.request.period
        let name = "bao-cao-\(period.from)-\(period.to).\(format)"
        let data = format == "csv" ? ReportExport.csv(table) : try ReportExport.xlsx(table)
        let type = format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"",
                                               .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
