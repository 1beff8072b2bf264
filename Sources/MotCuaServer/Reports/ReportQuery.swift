import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// A report as its URL asks for it, shared by the API, the pages and the exports:
/// `period=2026-11` (a month), `2026-Q4`, `2026`, `2026-11-16` (a day), or `from` and `to`;
/// `agency`, `unit` (with `unitScheme` 2025 or legacy), `level`, `field`, `procedure`,
/// `officer`, and `by` (agency or procedure). No period means this month.
struct ReportQuery {
    let request: ReportRequest
    let breakdown: ReportBreakdown?
    /// The names the parameters had, to build links to the same report.
    let parameters: [(String, String)]

    init(_ query: [String: String], today: CivilDate) throws {
        var v = Validator()
        var period = ReportPeriod.month(today.year, today.month)!
        if query["from"] != nil || query["to"] != nil {
            let first = query["from"].flatMap(CivilDate.init), last = query["to"].flatMap(CivilDate.init)
            v.require(first != nil, "from", "format", "Ngày dạng YYYY-MM-DD")
            v.require(last != nil, "to", "format", "Ngày dạng YYYY-MM-DD")
            if let first, let last {
                if let range = ReportPeriod(from: first, to: last) { period = range } else { v.add("to", "range", "Ngày cuối không trước ngày đầu") }
            }
        } else if let text = query["period"] {
            if let parsed = Self.period(text) { period = parsed } else {
                v.add("period", "format", "Kỳ báo cáo: 2026, 2026-Q4, 2026-11 hoặc 2026-11-16")
            }
        }
        var level: Procedure.Level?
        if let text = query["level"] {
            level = Procedure.Level(rawValue: text)
            v.require(level != nil, "level", "enum", "Một trong: " + Procedure.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var scheme: UnitScheme?
        if let text = query["unitScheme"] {
            scheme = UnitScheme(rawValue: text)
            v.require(scheme != nil, "unitScheme", "enum", "2025 hoặc legacy")
        }
        var breakdown: ReportBreakdown?
        if let text = query["by"] {
            breakdown = ReportBreakdown(rawValue: text)
            v.require(breakdown != nil, "by", "enum", "agency hoặc procedure")
        }
        try v.check()
        func text(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        request = ReportRequest(period: period, agency: text("agency"), unitScheme: scheme, unitCode: text("unit"), level: level,
                                field: text("field"), procedure: text("procedure"), officer: text("officer"))
        self.breakdown = breakdown
        parameters = ["period", "from", "to", "agency", "unit", "unitScheme", "level", "field", "procedure", "officer", "by"]
            .compactMap { name in text(name).map { (name, $0) } }
    }

    init(_ request: Request, today: CivilDate = CivilDate.of(Date())) throws {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        try self.init(query, today: today)
    }

    static func period(_ text: String) -> ReportPeriod? {
        let parts = text.split(separator: "-").map(String.init)
        guard let year = Int(parts.first ?? ""), parts[0].count == 4 else { return nil }
        switch parts.count {
        case 1: return .year(year)
        case 2 where parts[1].hasPrefix("Q"): return Int(parts[1].dropFirst()).flatMap { .quarter(year, $0) }
        case 2: return parts[1].count == 2 ? Int(parts[1]).flatMap { .month(year, $0) } : nil
        case 3: return CivilDate(text).flatMap { ReportPeriod(from: $0, to: $0) }
        default: return nil
        }
    }

    /// The query string of this report, with `changes` applied (nil removes a parameter).
    func query(_ changes: [String: String?] = [:]) -> String {
        var pairs = parameters.filter { changes[$0.0] == nil }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { if let value { pairs.append((name, value)) } }
        return pairs.map { "\($0.0)=\(PageKit.urlEncoded($0.1))" }.joined(separator: "&")
    }
}
