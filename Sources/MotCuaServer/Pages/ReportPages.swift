import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// The reports in the browser: the table with every count linked to its dossiers, charts drawn as
/// SVG, the exports and the service index. Citizens have no reports.
struct ReportPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }
    var reports: ReportService { environment.reports }

    func register(on router: Router<AppRequestContext>) {
        router.get("bao-cao") { request, _ in try await report(request) }
        router.get("bao-cao/ho-so") { request, _ in try await dossiers(request) }
        router.get("bao-cao/chi-so") { request, _ in try await serviceIndex(request) }
        router.get("bao-cao/tai-ve") { request, _ -> Response in
            try await ReportRoutes.export(request, caller: try await reader(request), environment: environment)
        }
    }

    func reader(_ request: Request) async throws -> Caller {
        let caller = try await kit.requireCaller(request)
        guard caller.account.role != .citizen else { throw PageError(status: .forbidden, messageKey: "error_forbidden") }
        return caller
    }

    /// The query, with the page's default breakdown by agency.
    func query(_ request: Request) throws -> ReportQuery {
        var parameters: [String: String] = ["by": "agency"]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        do {
            return try ReportQuery(parameters, today: CivilDate.of(Date()))
        } catch let error as ValidationError {
            throw PageError(status: .badRequest, messageKey: "error_invalid", detail: error.description, back: "/bao-cao")
        }
    }

    func range(_ report: ReportRequest, snapshot: CivilDate, _ strings: [String: String]) -> String {
        (strings["report_range"] ?? "").replacingOccurrences(of: "{{from}}", with: report.period.from.description)
            .replacingOccurrences(of: "{{to}}", with: report.period.to.description)
            .replacingOccurrences(of: "{{snapshot}}", with: snapshot.description)
    }

    func report(_ request: Request) async throws -> Response {
        let caller = try await reader(request)
        let query = try query(request)
        let strings = Language.of(request).language.strings
        let report = try await reports.report(query.request, by: caller.viewer, breakdown: query.breakdown)
        let names = try await ReportNames.rows(report, query.breakdown, in: environment.database)
        let table = ReportTable(report, breakdown: query.breakdown, names: names)
        let counts = ReportFigures.Count.allCases
        let keys = report.rows.map(\.key) + [""]
        let rows: [[String: Any]] = zip(table.rows, keys).map { cells, key in
            let label: String = if case .text(let text) = cells[0] { text } else { "" }
            var scope: [String: String?] = [:]
            if !key.isEmpty { scope[query.breakdown == .procedure ? "procedure" : "agency"] = key }
            let countCells: [[String: Any]] = counts.enumerated().map { index, count in
                guard case .count(let value) = cells[index + 1] else { return [:] }
                var changes = scope
                changes["figure"] = count.rawValue
                return PageKit.withoutEmpty(["value": value, "label": "\(label) – \(count.label)",
                                             "link": value > 0 ? "/bao-cao/ho-so?\(query.query(changes))" : ""])
            }
            let rates: [String] = cells.dropFirst(counts.count + 1).map { cell in
                if case .decimal(let value) = cell { return value.map(ReportTable.rounded) ?? "–" }
                return ""
            }
            return ["label": label, "counts": countCells, "rates": rates, "total": key.isEmpty]
        }
        let readable = try await reports.readableAgencies(caller.viewer)
        let all = readable == nil ? try await ReportNames.allAgencies(in: environment.database) : [:]
        let agencyCodes = readable ?? all.keys.sorted()
        let agencyNames = try await ReportNames.of(agencyCodes, table: "agencies", in: environment.database)
        let page: [String: Any] = [
            "periodText": query.parameters.first { $0.0 == "period" }?.1
                ?? (query.parameters.contains { $0.0 == "from" } ? "" : String(format: "%04d-%02d", query.request.period.from.year,
                                                                             query.request.period.from.month)),
            "agencies": agencyCodes.map { ["code": $0, "name": agencyNames[$0] ?? $0, "selected": $0 == query.request.agency] as [String: Any] },
            "byAgency": query.breakdown == .agency, "byProcedure": query.breakdown == .procedure,
            "range": range(query.request, snapshot: report.snapshot, strings),
            "query": query.query(), "csvQuery": query.query(["format": "csv"]), "xlsxQuery": query.query(["format": "xlsx"]),
            "headers": table.headers, "rows": rows,
            "trendChart": try await trendChart(query.request, caller, strings),
            "rankChart": query.breakdown == .agency ? rankChart(report, names: names, strings) : "",
            "heatChart": try await heatChart(query.request, caller, strings),
        ]
        return kit.page("report", title: "reports_title", PageKit.withoutEmpty(page), request: request, caller: caller)
    }

    func trendChart(_ request: ReportRequest, _ caller: Caller, _ strings: [String: String]) async throws -> String {
        let months = try await reports.trend(request, by: caller.viewer)
        let labels = months.map { String(format: "%02d/%02d", $0.month % 100, $0.month / 100 % 100) }
        let series = [
            Charts.Series(name: ReportFigures.Count.received.label, colour: "#1f5fa8", values: months.map { $0.sums[.received] }),
            Charts.Series(name: strings["report_resolved_on_time"] ?? "", colour: "#2e7d32",
                          values: months.map { $0.sums[.resolvedEarly] + $0.sums[.resolvedOnTime] }),
            Charts.Series(name: ReportFigures.Count.resolvedLate.label, colour: "#c62828", values: months.map { $0.sums[.resolvedLate] }),
        ]
        return Charts.groupedBars(id: "trend", title: strings["report_trend_title"] ?? "", description: strings["report_trend_desc"] ?? "",
                                  labels: labels, series: series)
    }

    func rankChart(_ report: Report, names: [String: String], _ strings: [String: String]) -> String {
        let ranked = report.rows.filter { $0.figures.resolved > 0 }
            .map { (label: names[$0.key] ?? $0.key, percent: $0.figures.onTimeShare.map { $0 * 100 }) }
            .sorted { ($0.percent ?? -1, $1.label) > ($1.percent ?? -1, $0.label) }
        guard !ranked.isEmpty else { return "" }
        return Charts.rankedBars(id: "rank", title: strings["report_rank_title"] ?? "", description: strings["report_rank_desc"] ?? "",
                                 rows: ranked)
    }

    func heatChart(_ request: ReportRequest, _ caller: Caller, _ strings: [String: String]) async throws -> String {
        let cells = try await reports.overdueSteps(request, by: caller.viewer)
        guard !cells.isEmpty else { return "" }
        let codes = Set(cells.map(\.agency))
        let names = try await ReportNames.of(Array(codes), table: "agencies", in: environment.database)
        // A row per agency code; two agencies of the same name are told apart by their codes.
        let named = Dictionary(grouping: codes) { names[$0] ?? $0 }
        func label(_ code: String) -> String {
            let name = names[code] ?? code
            return (named[name]?.count ?? 0) > 1 ? "\(name) (\(code))" : name
        }
        var counts: [String: [Int: Int]] = [:]
        for cell in cells { counts[label(cell.agency), default: [:]][cell.step, default: 0] += cell.count }
        let step = strings["report_step"] ?? ""
        return Charts.heat(id: "heat", title: strings["report_heat_title"] ?? "", description: strings["report_heat_desc"] ?? "",
                           rows: counts.keys.sorted(), columns: Array(Set(cells.map(\.step))).sorted(), counts: counts,
                           columnLabel: { "\(step) \($0)" })
    }

    func dossiers(_ request: Request) async throws -> Response {
        let caller = try await reader(request)
        let query = try query(request)
        let strings = Language.of(request).language.strings
        guard let text = request.uri.queryParameters["figure"], let figure = ReportFigures.Count(rawValue: String(text)) else {
            throw PageError(status: .badRequest, messageKey: "error_invalid", back: "/bao-cao")
        }
        let after = request.uri.queryParameters["after"].map(String.init)
        let limit = 50
        let facts = try await reports.dossiers(behind: figure, query.request, by: caller.viewer, after: after, limit: limit + 1)
        let shown = Array(facts.prefix(limit))
        let snapshot = min(query.request.period.to, CivilDate.of(Date()))
        let items: [[String: Any]] = shown.map { fact in
            PageKit.withoutEmpty(["code": fact.code, "agency": fact.agency, "procedure": fact.procedure, "receivedDay": fact.receivedDay?.description ?? "",
             "dueDay": fact.dueDay?.description ?? "", "closedDay": fact.closedDay?.description ?? "",
             "outcome": fact.outcome.map(Self.outcomeLabel) ?? ""])
        }
        let next = facts.count > limit ? shown.last.map { query.query(["figure": figure.rawValue, "after": $0.code]) } : nil
        let page: [String: Any] = [
            "figureLabel": figure.label, "range": range(query.request, snapshot: snapshot, strings), "query": query.query(),
            "items": items, "has_items": !items.isEmpty, "next": next ?? "",
        ]
        return kit.page("report-dossiers", title: "report_dossiers_title", PageKit.withoutEmpty(page), request: request, caller: caller,
                        titleSuffix: "– \(figure.label)")
    }

    static func outcomeLabel(_ outcome: DossierFact.Outcome) -> String {
        switch outcome {
        case .early: return ReportFigures.Count.resolvedEarly.label
        case .onTime: return ReportFigures.Count.resolvedOnTime.label
        case .late: return ReportFigures.Count.resolvedLate.label
        case .refused: return ReportFigures.Count.refused.label
        case .withdrawn: return ReportFigures.Count.withdrawn.label
        case .stopped: return ReportFigures.Count.stopped.label
        }
    }

    func serviceIndex(_ request: Request) async throws -> Response {
        let caller = try await reader(request)
        let query = try query(request)
        let strings = Language.of(request).language.strings
        let index = try ServiceIndex.bundled.get()
        let scores = try await reports.serviceIndex(query.request, by: caller.viewer, index: index)
        let names = try await ReportNames.of(scores.agencies.map(\.agency), table: "agencies", in: environment.database)
        let noData = strings["index_no_data"] ?? ""
        func points(_ value: Double) -> String { ReportTable.rounded(value) }
        let groups: [[String: Any]] = scores.total.groups.map { group in
            ["name": group.name, "points": points(group.points), "maxPoints": points(group.maxPoints),
             "indicators": group.indicators.map { i -> [String: Any] in
                 ["name": i.name, "numerator": i.numerator, "denominator": i.denominator,
                  "rate": i.rate.map { ReportTable.rounded($0 * 100) + " %" } ?? noData,
                  "threshold": ReportTable.rounded(i.threshold * 100) + " %", "points": points(i.points), "maxPoints": points(i.maxPoints)]
             }]
        }
        let agencies: [[String: Any]] = scores.agencies.map { entry in
            ["name": names[entry.agency] ?? entry.agency, "points": entry.score.groups.map { points($0.points) }, "total": points(entry.score.points)]
        }
        let snapshot = min(query.request.period.to, CivilDate.of(Date()))
        let page: [String: Any] = [
            "name": index.name, "note": index.note, "range": range(query.request, snapshot: snapshot, strings), "query": query.query(),
            "totalPoints": points(scores.total.points), "maxPoints": points(index.maxPoints), "groups": groups,
            "groupNames": index.groups.map(\.name), "agencies": agencies,
        ]
        return kit.page("service-index", title: "index_title", page, request: request, caller: caller)
    }
}
