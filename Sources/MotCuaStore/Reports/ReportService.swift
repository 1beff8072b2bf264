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
        var total = ReportInput()
        if breakdown != nil {
            // The whole is read again rather than summed from its parts, so that it is the same
            // query as an unbroken report.
            total = try await repository.inputs(scope, period: request.period, snapshot: snapshot)[""] ?? ReportInput()
        } else {
            total = inputs[""] ?? ReportInput()
        }
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
        try await database.withConnection { db in
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
            var out: [String: [String: [String]]] = [:]
            for row in try await query.all() {
                let agency = try row.decode(column: "agency_code", as: String.self), code = try row.decode(column: "code", as: String.self)
                let p = try JSONDecoder().decode(Procedure.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
                out[agency, default: [:]]["procedures_total", default: []].append(code)
                if !p.documents.isEmpty, !p.legalBasis.isEmpty { out[agency, default: [:]]["procedures_complete", default: []].append(code) }
                if p.onlineLevel == .full { out[agency, default: [:]]["procedures_fully_online", default: []].append(code) }
            }
            return out
        }
    }
}
