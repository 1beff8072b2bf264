import Foundation
import MotCuaCore
import SQLKit

extension ReportRepository {
    /// Recomputes every dossier's fact from its state, history and files, and the rollups from the
    /// facts, replacing what is stored: for a repair, or after a change of how facts are derived.
    /// One transaction: reports read the old figures until the new ones are complete.
    @discardableResult
    public func rebuild(calendar: WorkingCalendar, batch: Int = 2000) async throws -> Int {
        let kind = database.kind
        return try await database.transaction { db in
            // A command running meanwhile must wait for the new facts, not find its fact gone and
            // start a new one from its last event (SQLite has one writer at a time anyway).
            if kind == .postgres { try await db.raw("LOCK TABLE dossier_facts IN EXCLUSIVE MODE").run() }
            try await db.delete(from: "report_durations").run()
            try await db.delete(from: "report_rollups").run()
            try await db.delete(from: "dossier_facts").run()
            var rollups = Rollups()
            var count = 0
            var after = ""
            while true {
                let facts = try await Self.recomputeFacts(after: after, limit: batch, calendar: calendar, in: db)
                guard let last = facts.last else { break }
                for fact in facts { rollups.add(fact, sign: 1) }
                try await db.insertRows(into: "dossier_facts", columns: FactRepository.columns, facts.map(FactRepository.row))
                count += facts.count
                after = last.code
            }
            try await FactRepository.writeInSlices(rollups.trimmed, in: db)
            return count
        }
    }

    /// One dossier's fact, as its state, history and files make it.
    static func recomputeFact(_ code: String, calendar: WorkingCalendar, in db: any SQLDatabase) async throws -> DossierFact? {
        try await recomputeFacts(after: "", only: code, limit: 1, calendar: calendar, in: db).first
    }

    /// The facts of the next dossiers by code (or of `only` that one), as their state, history and files make them.
    static func recomputeFacts(after: String, only: String? = nil, limit: Int, calendar: WorkingCalendar,
                               in db: any SQLDatabase) async throws -> [DossierFact] {
        var select = DossierRepository.selectDossiers(db)
        select = only.map { select.where("code", .equal, $0) } ?? select.where("code", .greaterThan, after)
        let dossiers = try await select.orderBy("code").limit(limit).all().map(DossierRepository.decode)
        guard let first = dossiers.first?.code, let last = dossiers.last?.code else { return [] }
        let events = Dictionary(grouping: try await DossierRepository.selectEvents(db)
            .where("dossier_code", .greaterThanOrEqual, first).where("dossier_code", .lessThanOrEqual, last)
            .orderBy("dossier_code").orderBy("sequence").all()
            .map { (try $0.decode(column: "dossier_code", as: String.self), try DossierRepository.decodeEvent($0)) }, by: \.0)
        let withFiles = Set(try await db.select().distinct().column("dossier_code").from("dossier_documents")
            .where("dossier_code", .greaterThanOrEqual, first).where("dossier_code", .lessThanOrEqual, last)
            .all(decodingColumn: "dossier_code", as: String.self))
        let onlineLevels = try await Self.onlineLevels(in: db)
        return dossiers.map { dossier in
            var fact = DossierFact(code: dossier.code, agency: dossier.receivingAgency, procedure: dossier.procedureCode)
            for (_, event) in events[dossier.code] ?? [] { fact.record(event) }
            fact.update(from: dossier.state, onlineLevel: onlineLevels[dossier.procedureCode] ?? .none,
                        officer: dossier.responsibleOfficer, calendar: calendar)
            fact.digitised = withFiles.contains(dossier.code)
            return fact
        }
    }

    static func onlineLevels(in db: any SQLDatabase) async throws -> [String: Procedure.OnlineLevel] {
        var out: [String: Procedure.OnlineLevel] = [:]
        for row in try await db.select().columns("code", "online_level").from("procedures").all() {
            out[try row.decode(column: "code", as: String.self)] =
                Procedure.OnlineLevel(rawValue: try row.decode(column: "online_level", as: String.self)) ?? Procedure.OnlineLevel.none
        }
        return out
    }

    /// Everything the rollup tables hold, for checks.
    public func storedRollups() async throws -> Rollups {
        try await database.withConnection { db in
            var out = Rollups()
            for row in try await db.select().column("*").from("report_rollups").all() {
                let key = try Self.rollupKey(row)
                out.counters[key] = try Self.sums(row, ReportCounter.allCases)
            }
            for row in try await db.select().column("*").from("report_durations").all() {
                out.durations[try Self.rollupKey(row), default: [:]][try row.decode(column: "bucket", as: Int.self)] =
                    try row.decode(column: "dossiers", as: Int.self)
            }
            return out.trimmed
        }
    }

    /// Every stored fact, for checks.
    public func storedFacts() async throws -> [DossierFact] { try await facts(ReportScope()) }

    static func rollupKey(_ row: any SQLRow) throws -> RollupKey {
        RollupKey(grain: ReportGrain(rawValue: try row.decode(column: "grain", as: String.self)) ?? .day,
                  period: try row.decode(column: "period", as: Int.self),
                  agency: try row.decode(column: "agency_code", as: String.self),
                  procedure: try row.decode(column: "procedure_code", as: String.self))
    }
}
