import Foundation
import MotCuaCore
import SQLKit

/// What someone asks a report for. Every filter narrows; none means all the reader may see.
public struct ReportRequest: Hashable, Sendable {
    public var period: ReportPeriod
    public var agency: String?
    /// An administrative unit: the agencies located in it, below it, and (for a 2025 unit) in
    /// the legacy units it took over.
    public var unitScheme: UnitScheme?
    public var unitCode: String?
    public var level: Procedure.Level?
    public var field: String?
    public var procedure: String?
    public var officer: String?

    public init(period: ReportPeriod, agency: String? = nil, unitScheme: UnitScheme? = nil, unitCode: String? = nil,
                level: Procedure.Level? = nil, field: String? = nil, procedure: String? = nil, officer: String? = nil) {
        self.period = period
        self.agency = agency
        self.unitScheme = unitCode == nil ? nil : unitScheme ?? .reform2025
        self.unitCode = unitCode
        self.level = level
        self.field = field
        self.procedure = procedure
        self.officer = officer
    }
}

/// One report: the figures for the whole scope, and per agency or procedure when asked.
public struct Report: Sendable {
    public let request: ReportRequest
    /// The day open dossiers are judged on: the period's last day, or today if that is later.
    public let snapshot: CivilDate
    public let total: ReportFigures
    public let rows: [(key: String, figures: ReportFigures)]
}

/// Reports and the service index, with who may see what decided here: an officer, leader or
/// agency administrator sees their agencies and those under them; the system administrator all.
public struct ReportService: Sendable {
    public let database: Database
    public let repository: ReportRepository

    public init(database: Database) {
        self.database = database
        self.repository = ReportRepository(database: database)
    }

    public func report(_ request: ReportRequest, by viewer: Viewer, breakdown: ReportBreakdown? = nil, now: Date = Date()) async throws -> Report {
        let (scope, snapshot) = try await resolve(request, viewer, now: now)
        let inputs = try await repository.inputs(scope, period: request.period, snapshot: snapshot, by: breakdown)
        // Rows are disjoint parts of the scope, so the whole is their sum: one read, not two.
        var total = ReportInput()
        for input in inputs.values { total.add(input) }
        let rows = breakdown == nil ? [] : inputs.keys.sorted().map { ($0, ReportFigures(inputs[$0]!)) }
        return Report(request: request, snapshot: snapshot, total: ReportFigures(total), rows: rows)
    }

    /// The dossiers behind one figure of the report.
    public func dossiers(behind figure: ReportFigures.Count, _ request: ReportRequest, by viewer: Viewer, after: String?, limit: Int,
                         now: Date = Date()) async throws -> [DossierFact] {
        let (scope, snapshot) = try await resolve(request, viewer, now: now)
        return try await repository.dossiers(behind: figure, scope, period: request.period, snapshot: snapshot, after: after, limit: limit)
    }

    /// The service index per agency in the scope, best first, and for the scope as a whole.
    public func serviceIndex(_ request: ReportRequest, by viewer: Viewer, index: ServiceIndex,
                             now: Date = Date()) async throws -> (total: ServiceIndexScore, agencies: [(agency: String, score: ServiceIndexScore)]) {
        let report = try await report(request, by: viewer, breakdown: .agency, now: now)
        let (scope, _) = try await resolve(request, viewer, now: now)
        let catalogue = try await catalogueFigures(scope)
        func figures(_ f: ReportFigures, agencies: [String]) -> [String: Int] {
            var named = f.named
            for name in ServiceIndex.catalogueFigures {
                named[name] = Set(agencies.flatMap { catalogue[$0]?[name] ?? [] }).count
            }
            return named
        }
        let all = scope.agencies ?? Array(catalogue.keys)
        let agencies = report.rows.map { row in (row.key, index.score(figures(row.figures, agencies: [row.key]))) }
            .sorted { ($0.1.points, $1.0) > ($1.1.points, $0.0) }
        return (index.score(figures(report.total, agencies: all)), agencies)
    }

    /// Per agency, the procedures it receives, by catalogue figure name.
    func catalogueFigures(_ scope: ReportScope) async throws -> [String: [String: [String]]] {
        let rows = try await database.withConnection { db in
            var query = db.select().column(SQLColumn("agency_code", table: "procedure_agencies")).column(SQLColumn("code", table: "procedures"))
                .column(SQLColumn("document", table: "procedures"))
                .from("procedure_agencies").join("procedures", on: SQLColumn("code", table: "procedures"), .equal, SQLColumn("procedure_code", table: "procedure_agencies"))
                .where(SQLColumn("status", table: "procedures"), .equal, SQLBind(Procedure.Status.published.rawValue))
                .where(SQLColumn("role", table: "procedure_agencies"), .equal, SQLBind("receiving"))
            if let agencies = scope.agencies {
                query = query.where(SQLColumn("agency_code", table: "procedure_agencies"), .in, SQLBind.group(agencies.isEmpty ? [""] : agencies))
            }
            if let procedures = scope.procedures {
                query = query.where(SQLColumn("code", table: "procedures"), .in, SQLBind.group(procedures.isEmpty ? [""] : procedures))
            }
            return try await query.all()
        }
        // Decoded once the connection is given back: decoding thousands of documents would keep
        // it from the next request.
        var out: [String: [String: [String]]] = [:]
        for row in rows {
            let agency = try row.decode(column: "agency_code", as: String.self), code = try row.decode(column: "code", as: String.self)
            let p = try JSONDecoder().decode(Procedure.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
            out[agency, default: [:]]["procedures_total", default: []].append(code)
            if !p.documents.isEmpty, !p.legalBasis.isEmpty { out[agency, default: [:]]["procedures_complete", default: []].append(code) }
            if p.onlineLevel == .full { out[agency, default: [:]]["procedures_fully_online", default: []].append(code) }
        }
        return out
    }
}

extension ReportService {
    /// Open dossiers whose current step is past its deadline now, counted by the agency the step
    /// is at and the step's number: where work is stuck.
    public func overdueSteps(_ request: ReportRequest, by viewer: Viewer, now: Date = Date(),
                             limit: Int = 10000) async throws -> [(agency: String, step: Int, count: Int)] {
        let (scope, _) = try await resolve(request, viewer, now: now)
        let rows = try await database.withConnection { db in
            let open = DossierStatus.allCases.filter { !$0.isFinal && $0 != .resultReady && !$0.stopsTheClock }.map(\.rawValue)
            var query = db.select().columns("current_agency", "state").from("dossiers")
                .where("status", .in, open).where("step_deadline_ms", .lessThan, StoredTime.ms(now))
            if let agencies = scope.agencies { query = query.where("current_agency", .in, agencies.isEmpty ? [""] : agencies) }
            if let procedures = scope.procedures { query = query.where("procedure_code", .in, procedures.isEmpty ? [""] : procedures) }
            if let officer = scope.officer { query = query.where("responsible_officer", .equal, officer) }
            return try await query.limit(limit).all()
        }
        // Decoded once the connection is given back (see `catalogueFigures`).
        var counts: [String: [Int: Int]] = [:]
        for row in rows {
            let state = try StoredJSON.state(try row.decode(column: "state", as: String.self))
            counts[try row.decode(column: "current_agency", as: String.self), default: [:]][(state.stepIndex ?? 0) + 1, default: 0] += 1
        }
        return counts.keys.sorted().flatMap { agency in counts[agency]!.keys.sorted().map { (agency, $0, counts[agency]![$0]!) } }
    }
}

extension ReportService {
    /// The agencies the reader may report on (nil: all of them).
    public func readableAgencies(_ viewer: Viewer) async throws -> [String]? {
        try await database.withConnection { db in try await Self.readableAgencies(viewer, in: db) }
    }

    /// Month by month, the 12 months ending with the request's period: flows only (received,
    /// resolved by timeliness), which add up across months.
    public func trend(_ request: ReportRequest, by viewer: Viewer, months: Int = 12, now: Date = Date()) async throws -> [(month: Int, sums: CounterSums)] {
        let (scope, _) = try await resolve(request, viewer, now: now)
        let end = request.period.to
        var first = CivilDate(year: end.year, month: end.month, day: 1)!
        for _ in 1..<months { first = first.adding(days: -1); first = CivilDate(year: first.year, month: first.month, day: 1)! }
        let sums = try await repository.monthly(scope, period: ReportPeriod(from: first, to: end)!,
                                                counters: [.received, .resolvedEarly, .resolvedOnTime, .resolvedLate])
        var out: [(Int, CounterSums)] = []
        var month = first
        while month <= end {
            let key = ReportGrain.month.period(of: month)
            out.append((key, sums[key] ?? CounterSums()))
            month = month.adding(days: CivilDate.daysIn(month: month.month, year: month.year))
        }
        return out
    }
}
