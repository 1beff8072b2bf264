import ArgumentParser
import Foundation
import Logging
import MotCuaCore
import MotCuaServer
import MotCuaStore
import SQLKit

/// Benchmarks at province scale. `generate` fills the database the settings name (SQLite file or
/// DATABASE_URL) with a synthetic province once; the scenarios then read it.
extension BenchCommand {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a synthetic province of N dossiers (deterministic for a seed) into the configured database.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Dossiers to generate.") var dossiers = 100_000
        @Option(help: "Random seed.") var seed: UInt64 = 766
        @Option(help: "First day dossiers are submitted (YYYY-MM-DD).") var from = "2023-01-01"
        @Option(help: "The generation's 'now' (YYYY-MM-DD, 17:00): open dossiers are those not ended by then.") var now = "2026-11-20"

        func run() async throws {
            guard let first = CivilDate(from), let last = CivilDate(now) else { throw UsageError("bench generate: dates are YYYY-MM-DD") }
            var province = SyntheticProvince(dossiers: dossiers, from: WorkingCalendar.instant(first, 0),
                                             now: WorkingCalendar.instant(last, 17 * 3600))
            province.seed = seed
            let configuration = try settings.resolve()
            let logger = Bench.quietLogger
            let environment = try await AppEnvironment.prepare(configuration, logger: logger)
            let start = ContinuousClock.now
            let batch = province.batch
            let written = try await province.generate(into: environment.database, calendar: environment.calendar, logger: logger) { done in
                if done % 100_000 < batch { FileHandle.standardError.write(Data("generated \(done)\n".utf8)) }
            }
            let seconds = Bench.seconds(since: start)
            try await environment.database.close()
            Output.current.out("generate\t\(Bench.kind(settings))\tdossiers=\(written)\tseconds=\(Bench.format(seconds))\tper second=\(Int(Double(written) / seconds))")
        }
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Province-wide month and year reports from rollups, against the naive full-scan GROUP BY over the facts.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Year of the reports.") var year = 2026
        @Option(help: "Month of the month report.") var month = 10
        @Option(help: "Repetitions.") var runs = 5

        func run() async throws {
            let configuration = try settings.resolve()
            let environment = try await AppEnvironment.prepare(configuration, logger: Bench.quietLogger)
            let admin = Viewer(actor: DossierActor(id: "bench", role: .systemAdmin))
            let now = WorkingCalendar.instant(CivilDate(year: 2026, month: 11, day: 20)!, 17 * 3600)
            Output.current.out("report\tdatabase\tdossiers\tmotcua p50 s\tnaive p50 s\tratio\tsame figures")
            let dossiers = try await environment.database.withConnection { db in
                try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossier_facts").first(decodingColumn: "n", as: Int.self) ?? 0
            }
            for (name, period) in [("month", ReportPeriod.month(year, month)!), ("year", ReportPeriod.year(year)!)] {
                var ours: [Double] = [], naive: [Double] = []
                var same = true
                for _ in 0..<runs {
                    var start = ContinuousClock.now
                    let report = try await environment.reports.report(ReportRequest(period: period), by: admin, breakdown: .agency, now: now)
                    ours.append(Bench.seconds(since: start))
                    start = ContinuousClock.now
                    let scanned = try await Bench.naiveReport(period, snapshot: min(period.to, CivilDate.of(now)), in: environment.database)
                    naive.append(Bench.seconds(since: start))
                    let f = report.total
                    same = same && scanned == [f[.received], f[.carriedOver], f[.resolvedEarly], f[.resolvedOnTime], f[.resolvedLate],
                                               f[.inProgressOnTime], f[.inProgressOverdue]]
                }
                let o = Bench.median(ours), n = Bench.median(naive)
                Output.current.out("\(name)\t\(Bench.kind(settings))\t\(dossiers)\t\(Bench.format(o))\t\(Bench.format(n))\t\(String(format: "%.3f", o / n))\t\(same)")
            }
            try await environment.database.close()
        }
    }
}

extension Bench {
    static var quietLogger: Logger {
        var logger = Logger(label: "motcua.bench")
        logger.logLevel = .error
        return logger
    }

    /// The reference for reports: one full scan of the facts with a GROUP BY per agency and
    /// procedure, computing the same figures (received, carried over, resolved by timeliness,
    /// open on time and overdue at the snapshot) with CASE expressions.
    static func naiveReport(_ period: ReportPeriod, snapshot: CivilDate, in database: Database) async throws -> [Int] {
        let from = period.from.dayNumber, to = period.to.dayNumber, snap = snapshot.dayNumber
        return try await database.withConnection { db in
            let rows = try await db.raw("""
                SELECT agency_code, procedure_code,
                  SUM(CASE WHEN received_day BETWEEN \(bind: from) AND \(bind: to) THEN 1 ELSE 0 END) AS received,
                  SUM(CASE WHEN received_day < \(bind: from) AND (closed_day IS NULL OR closed_day >= \(bind: from)) THEN 1 ELSE 0 END) AS carried,
                  SUM(CASE WHEN outcome = 'early' AND closed_day BETWEEN \(bind: from) AND \(bind: to) THEN 1 ELSE 0 END) AS early,
                  SUM(CASE WHEN outcome = 'on_time' AND closed_day BETWEEN \(bind: from) AND \(bind: to) THEN 1 ELSE 0 END) AS on_time,
                  SUM(CASE WHEN outcome = 'late' AND closed_day BETWEEN \(bind: from) AND \(bind: to) THEN 1 ELSE 0 END) AS late,
                  SUM(CASE WHEN received_day <= \(bind: snap) AND (closed_day IS NULL OR closed_day > \(bind: snap))
                           AND NOT (overdue AND due_day <= \(bind: snap)) THEN 1 ELSE 0 END) AS open_on_time,
                  SUM(CASE WHEN received_day <= \(bind: snap) AND (closed_day IS NULL OR closed_day > \(bind: snap))
                           AND overdue AND due_day <= \(bind: snap) THEN 1 ELSE 0 END) AS open_overdue
                FROM dossier_facts GROUP BY agency_code, procedure_code
                """).all()
            var totals = [Int](repeating: 0, count: 7)
            for row in rows {
                for (i, column) in ["received", "carried", "early", "on_time", "late", "open_on_time", "open_overdue"].enumerated() {
                    totals[i] += try row.decode(column: column, as: Int?.self) ?? 0
                }
            }
            return totals
        }
    }
}
