import Foundation
import Testing
@testable import MotCuaCore

@Suite struct ReportTests {
    func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    /// A range reads whole years, then whole months, then days: few rows whatever its length.
    @Test func periodsDecomposeIntoTheFewestRollupSpans() {
        let spans = ReportPeriod(from: day(2025, 11, 15), to: day(2027, 2, 3))!.spans
        #expect(spans == [
            RollupSpan(grain: .day, first: 20251115, last: 20251130),
            RollupSpan(grain: .month, first: 202512, last: 202512),
            RollupSpan(grain: .year, first: 2026, last: 2026),
            RollupSpan(grain: .month, first: 202701, last: 202701),
            RollupSpan(grain: .day, first: 20270201, last: 20270203),
        ])
        #expect(ReportPeriod.month(2026, 2)!.spans == [RollupSpan(grain: .month, first: 202602, last: 202602)])
        #expect(ReportPeriod.quarter(2026, 4)!.spans == [RollupSpan(grain: .month, first: 202610, last: 202612)])
        #expect(ReportPeriod.year(2026)!.spans == [RollupSpan(grain: .year, first: 2026, last: 2026)])
        #expect(ReportPeriod(from: day(2026, 3, 2), to: day(2026, 3, 1)) == nil)
    }

    /// What lies after a day, for sums read as the all-time rows minus what came later.
    @Test func daysAfterADayDecomposeToTheEnd() {
        #expect(ReportPeriod.after(day(2026, 11, 20))!.spans == [
            RollupSpan(grain: .day, first: 20261121, last: 20261130),
            RollupSpan(grain: .month, first: 202612, last: 202612),
            RollupSpan(grain: .year, first: 2027, last: 2999),
        ])
        #expect(ReportPeriod.after(day(2026, 12, 31))!.spans == [RollupSpan(grain: .year, first: 2027, last: 2999)])
        #expect(ReportPeriod.after(ReportPeriod.end) == nil)
        #expect(ReportGrain.total.period(of: day(2026, 11, 20)) == 0)
    }

    /// Every decomposition covers each day of the range exactly once.
    @Test func spansCoverEachDayOnce() {
        var rng = SplitMix64(seed: 766)
        for _ in 0..<200 {
            let from = day(2024, 1, 1).adding(days: Int.random(in: 0..<900, using: &rng))
            let period = ReportPeriod(from: from, to: from.adding(days: Int.random(in: 0..<800, using: &rng)))!
            var covered = 0
            var d = period.from.adding(days: -40)
            while d <= period.to.adding(days: 40) {
                let hits = period.spans.filter { ($0.first...$0.last).contains($0.grain.period(of: d)) }.count
                #expect(hits == (period.contains(d) ? 1 : 0), "\(d) in \(period.from)…\(period.to)")
                covered += hits
                d = d.adding(days: 1)
            }
            #expect(covered == period.to - period.from + 1)
        }
    }

    func fact(_ code: String, received: CivilDate?, closed: CivilDate? = nil, outcome: DossierFact.Outcome? = nil,
              due: CivilDate? = nil, overdue: Bool = false, minutes: Int? = nil) -> DossierFact {
        var f = DossierFact(code: code, agency: "A", procedure: "P")
        f.receivedDay = received
        f.closedDay = closed
        f.outcome = outcome
        f.dueDay = due
        f.overdue = overdue
        f.processingMinutes = minutes
        return f
    }

    /// Hand-computed: carried over, received, resolved by timeliness, open on time and overdue at
    /// the period's end, the average and the 90th percentile in working days.
    @Test func figuresFromFacts() {
        let facts = [
            fact("1", received: day(2026, 10, 30), closed: day(2026, 11, 3), outcome: .late, due: day(2026, 11, 2), overdue: true, minutes: 720),
            fact("2", received: day(2026, 10, 30)),                                            // open, not yet due: carried over, on time
            fact("3", received: day(2026, 11, 2), closed: day(2026, 11, 2), outcome: .onTime, due: day(2026, 11, 2), minutes: 180),
            fact("4", received: day(2026, 11, 4), due: day(2026, 11, 5), overdue: true),       // open past its due day
            fact("5", received: day(2026, 11, 4), closed: day(2026, 11, 6), outcome: .early, due: day(2026, 11, 10), minutes: 1020),
            fact("6", received: nil, closed: day(2026, 11, 5), outcome: .refused),
            fact("7", received: day(2026, 11, 4), due: day(2026, 11, 20), overdue: true),      // due after the period
            fact("8", received: day(2026, 11, 9), closed: day(2026, 11, 9), outcome: .withdrawn),
        ]
        let period = ReportPeriod(from: day(2026, 11, 2), to: day(2026, 11, 6))!
        let f = ReportFigures(ReportInput.from(facts: facts, period: period, snapshot: day(2026, 11, 6)))
        #expect(f[.carriedOver] == 2 && f[.received] == 4)
        #expect(f[.resolvedEarly] == 1 && f[.resolvedOnTime] == 1 && f[.resolvedLate] == 1)
        #expect(f[.refused] == 1 && f[.withdrawn] == 0)
        #expect(f[.inProgressOverdue] == 1 && f[.inProgressOnTime] == 2)   // 4 overdue; 2 and 7 on time
        #expect(f.onTimeShare == 2.0 / 3)
        #expect(f.averageWorkingDays == Double(720 + 180 + 1020) / 3 / 480)
        // Buckets of half a day: 180 → 1, 720 → 3, 1020 → 5; the 3rd of 3 is bucket 5 = 2.5 days.
        #expect(f.p90WorkingDays == 2.5)
    }

    @Test func theShippedServiceIndexIsCompleteAndScoresByThreshold() throws {
        let index = try ServiceIndex.bundled.get()
        #expect(index.maxPoints == 100)
        #expect(index.groups.map(\.maxPoints) == [18, 20, 12, 10, 22, 18])
        var figures = ["resolved_early": 3, "resolved_on_time": 5, "resolved_late": 2, "received": 10, "received_online_full": 4,
                       "received_online_partial": 1, "digitised": 5, "rated": 20, "satisfied": 19, "procedures_total": 4,
                       "procedures_complete": 4, "procedures_fully_online": 2, "late_apologised": 1]
        let score = index.score(figures)
        func points(_ id: String) -> Double? { score.groups.flatMap(\.indicators).first { $0.id == id }?.points }
        #expect(points("resolved_on_time") == 14 * 0.8)
        #expect(points("in_progress_on_time") == 6)           // nothing open: met
        #expect(points("received_online") == 6)               // 50 % meets the 50 % threshold
        #expect(points("procedures_fully_online") == 3.75)       // 50 % of an 80 % threshold
        #expect(points("paid_online") == 10)                   // nothing to pay: met
        #expect(points("dossiers_digitised") == 11)
        #expect(points("satisfied") == 18)                     // 95 % meets the threshold
        #expect(points("late_apologised") == 5)
        #expect(abs(score.points - (8 + 5 + 11.2 + 6 + 3.75 + 6 + 10 + 11 + 18)) < 1e-9)
        figures["rated"] = 0
        #expect(index.score(figures).groups.last?.points == 0)  // no rating at all: not met
    }

    @Test func anIndexWhosePointsDoNotAddUpIsRefused() throws {
        let json = """
            {"name": "x", "note": "", "groups": [{"id": "g", "name": "G", "maxPoints": 10, "indicators": [
              {"id": "i", "name": "I", "points": 8, "numerator": ["received"], "denominator": ["nonsense"], "threshold": 1, "ifNoData": "zero"}]}]}
            """
        #expect(throws: ValidationError.self) { try ServiceIndex.decode(Data(json.utf8)) }
    }
}
