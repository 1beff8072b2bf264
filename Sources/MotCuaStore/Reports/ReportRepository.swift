import Foundation
import MotCuaCore
import SQLKit

/// Which dossiers a report counts: by receiving agency, by procedure, by officer (nil: all).
public struct ReportScope: Hashable, Sendable {
    public var agencies: [String]?
    public var procedures: [String]?
    public var officer: String?

    public init(agencies: [String]? = nil, procedures: [String]? = nil, officer: String? = nil) {
        self.agencies = agencies.map { Array(Set($0)).sorted() }
        self.procedures = procedures.map { Array(Set($0)).sorted() }
        self.officer = officer
    }
}

/// What a report's figures are broken down by.
public enum ReportBreakdown: String, Sendable, CaseIterable {
    case agency, procedure
}

/// Reads reports. Agency and procedure scopes read the rollups (a year is one row per agency and
/// procedure); an officer's scope reads that officer's facts, which are few.
public struct ReportRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The report inputs, one per value of the breakdown ("" when there is none).
    public func inputs(_ scope: ReportScope, period: ReportPeriod, snapshot: CivilDate,
                       by breakdown: ReportBreakdown? = nil) async throws -> [String: ReportInput] {
        if scope.officer != nil {
            let facts = try await facts(scope)
            let groups = Dictionary(grouping: facts) { fact in
                switch breakdown {
                case .agency: fact.agency
                case .procedure: fact.procedure
                case nil: ""
                }
            }
            return groups.mapValues { ReportInput.from(facts: $0, period: period, snapshot: snapshot) }
        }
        return try await database.withConnection { db in
            let periodSums = try await Self.sums(period.spans, ReportCounter.allCases, scope, breakdown, in: db)
            let beforeSums = try await Self.sums(through: period.from.adding(days: -1), [.received, .closed], scope, breakdown, in: db)
            let snapshotSums = try await Self.sums(through: snapshot, [.received, .closed, .overdueStarted, .overdueEnded],
                                                   scope, breakdown, in: db)
            let histograms = try await Self.durations(period.spans, scope, breakdown, in: db)
            var out: [String: ReportInput] = [:]
            for key in Set(periodSums.keys).union(beforeSums.keys).union(snapshotSums.keys) {
                var input = ReportInput()
                input.period = periodSums[key] ?? CounterSums()
                input.before = beforeSums[key] ?? CounterSums()
                input.throughSnapshot = snapshotSums[key] ?? CounterSums()
                input.durations = histograms[key] ?? [:]
                out[key] = input
            }
            if breakdown == nil, out.isEmpty { out[""] = ReportInput() }
            return out
        }
    }

    /// Flow sums per month (`yyyymm`), for trends.
    public func monthly(_ scope: ReportScope, period: ReportPeriod, counters: [ReportCounter]) async throws -> [Int: CounterSums] {
        if scope.officer != nil {
            var out: [Int: CounterSums] = [:]
            for fact in try await facts(scope) {
                for c in fact.contributions where period.contains(c.day) && counters.contains(c.counter) {
                    out[ReportGrain.month.period(of: c.day), default: CounterSums()].add(c.counter, c.amount)
                }
            }
            return out
        }
        let span = RollupSpan(grain: .month, first: ReportGrain.month.period(of: period.from), last: ReportGrain.month.period(of: period.to))
        return try await database.withConnection { db in
            var query = db.select().column("period")
            for c in counters { query = query.column(SQLRaw("CAST(SUM(\(c.rawValue)) AS BIGINT)"), as: c.rawValue) }
            query = Self.filter(query.from("report_rollups"), [span], scope).groupBy("period")
            var out: [Int: CounterSums] = [:]
            for row in try await query.all() {
                out[try row.decode(column: "period", as: Int.self)] = try Self.sums(row, counters)
            }
            return out
        }
    }

    static func sums(_ spans: [RollupSpan], _ counters: [ReportCounter], _ scope: ReportScope, _ breakdown: ReportBreakdown?,
                     in db: any SQLDatabase) async throws -> [String: CounterSums] {
        try await sums(spans, counters, scope, breakdown, in: db) { "SUM(\($0))" }
    }

    /// The sums of every day up to and including `day`: the all-time rows minus the rows after
    /// the day, which are few (the days left in its month, its year's later months, later years),
    /// where adding up every row before the day would read the whole history.
    static func sums(through day: CivilDate, _ counters: [ReportCounter], _ scope: ReportScope, _ breakdown: ReportBreakdown?,
                     in db: any SQLDatabase) async throws -> [String: CounterSums] {
        guard day >= ReportPeriod.beginning else { return [:] }
        let spans = [RollupSpan(grain: .total, first: 0, last: 0)] + (ReportPeriod.after(day)?.spans ?? [])
        return try await sums(spans, counters, scope, breakdown, in: db) {
            "SUM(CASE WHEN grain = '\(ReportGrain.total.rawValue)' THEN \($0) ELSE -\($0) END)"
        }
    }

    /// One query over the rollup rows of `spans`, each counter aggregated by `aggregate(column)`.
    private static func sums(_ spans: [RollupSpan], _ counters: [ReportCounter], _ scope: ReportScope, _ breakdown: ReportBreakdown?,
                             in db: any SQLDatabase, aggregate: (String) -> String) async throws -> [String: CounterSums] {
        var query = db.select()
        if let breakdown { query = query.column(Self.column(breakdown), as: "key") }
        for c in counters { query = query.column(SQLRaw("CAST(\(aggregate(c.rawValue)) AS BIGINT)"), as: c.rawValue) }
        query = filter(query.from("report_rollups"), spans, scope)
        if let breakdown { query = query.groupBy(Self.column(breakdown)) }
        var out: [String: CounterSums] = [:]
        for row in try await query.all() {
            let key = breakdown == nil ? "" : try row.decode(column: "key", as: String.self)
            let sums = try Self.sums(row, counters)
            if breakdown == nil || !sums.values.isEmpty { out[key] = sums }
        }
        return out
    }

    static func durations(_ spans: [RollupSpan], _ scope: ReportScope, _ breakdown: ReportBreakdown?,
                          in db: any SQLDatabase) async throws -> [String: [Int: Int]] {
        var query = db.select().column("bucket").column(SQLRaw("CAST(SUM(dossiers) AS BIGINT)"), as: "dossiers")
        if let breakdown { query = query.column(Self.column(breakdown), as: "key") }
        query = filter(query.from("report_durations"), spans, scope).groupBy("bucket")
        if let breakdown { query = query.groupBy(Self.column(breakdown)) }
        var out: [String: [Int: Int]] = [:]
        for row in try await query.all() {
            let key = breakdown == nil ? "" : try row.decode(column: "key", as: String.self)
            let count = try row.decode(column: "dossiers", as: Int?.self) ?? 0
            if count != 0 { out[key, default: [:]][try row.decode(column: "bucket", as: Int.self)] = count }
        }
        return out
    }

    static func filter(_ query: SQLSelectBuilder, _ spans: [RollupSpan], _ scope: ReportScope) -> SQLSelectBuilder {
        var query = query.where { group in
            var group = group
            for span in spans {
                group = group.orWhere { $0.where("grain", .equal, span.grain.rawValue).where("period", .greaterThanOrEqual, span.first)
                    .where("period", .lessThanOrEqual, span.last) }
            }
            return group
        }
        if let agencies = scope.agencies { query = query.where("agency_code", .in, agencies.isEmpty ? [""] : agencies) }
        if let procedures = scope.procedures { query = query.where("procedure_code", .in, procedures.isEmpty ? [""] : procedures) }
        return query
    }

    static func sums(_ row: any SQLRow, _ counters: [ReportCounter]) throws -> CounterSums {
        var sums = CounterSums()
        for c in counters { sums.add(c, try row.decode(column: c.rawValue, as: Int?.self) ?? 0) }
        return sums
    }

    static func column(_ breakdown: ReportBreakdown) -> String {
        breakdown == .agency ? "agency_code" : "procedure_code"
    }

    /// Every fact in the scope (for officers' reports; the others read rollups).
    func facts(_ scope: ReportScope) async throws -> [DossierFact] {
        // Decoded once the connection is given back, so that it returns to the pool sooner.
        try await database.withConnection { db in
            var query = FactRepository.select(db)
            if let officer = scope.officer { query = query.where("officer", .equal, officer) }
            if let agencies = scope.agencies { query = query.where("agency_code", .in, agencies.isEmpty ? [""] : agencies) }
            if let procedures = scope.procedures { query = query.where("procedure_code", .in, procedures.isEmpty ? [""] : procedures) }
            return try await query.all()
        }.map(FactRepository.decode)
    }
}
