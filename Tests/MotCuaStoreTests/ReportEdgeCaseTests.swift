import Foundation
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// Report figures at the edges of a dossier's life: a clock stopped when the dossier ended, a
/// withdrawal before receipt, the result handed back by someone else, a fact that went missing.
@Suite struct ReportEdgeCaseTests {
    typealias Week = ReportServiceTests
    let week = ReportServiceTests()
    let period = ReportPeriod(from: CivilDate(year: 2026, month: 11, day: 16)!, to: CivilDate(year: 2026, month: 11, day: 20)!)!

    func service(_ database: Database) async throws -> (DossierService, ReportService) {
        try await CatalogueRepositoryTests.seeded(database)
        let calendar = WorkingCalendar(holidays: try CalendarData.bundledHolidays.get())
        return (DossierService(database: database, calendar: calendar), ReportService(database: database))
    }

    @Test(arguments: TestDatabases.kinds)
    func edgesOfADossiersLifeCountAsTheyHappened(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let (s, reports) = try await service(database)
            // Due Tuesday 08:00; sent for supplement Monday 09:00 and stopped Thursday while still
            // waiting: its deadline never came, so it was never overdue in progress.
            let waiting = try await week.counter(s, Week.oneDay, accepted: Week.at(16, 8))
            _ = try await week.act(s, .requestSupplement(missing: ["Bản sao"], reason: "Thiếu"), waiting, Week.intake, Week.at(16, 9))
            _ = try await week.act(s, .stop(reason: "Không bổ sung"), waiting, Week.leader, Week.at(19, 10))
            // Withdrawn online before anyone received it: not in the table's balance.
            let early = try await s.submit(procedureCode: Week.oneDay, channel: .online, receivingAgency: Week.commune,
                                           applicant: Week.person, by: Week.citizen, at: Week.at(16, 10)).code
            _ = try await week.act(s, .withdraw(reason: "Nộp nhầm"), early, Week.citizen, Week.at(16, 11))
            // Resolved by officer-1 and handed back by the intake officer: officer-1's result.
            let done = try await week.counter(s, Week.oneDay, accepted: Week.at(17, 8))
            try await week.resolve(s, done, at: Week.at(17, 15))
            let returned = try await week.act(s, .returnResult, done, Week.intake, Week.at(18, 8))
            #expect(returned.responsibleOfficer == "officer-1")

            let request = ReportRequest(period: period, agency: Week.commune)
            let wednesday = try await reports.report(ReportRequest(period: ReportPeriod(from: period.from, to: CivilDate(year: 2026, month: 11, day: 18)!)!,
                                                                   agency: Week.commune), by: Week.leader, now: Week.at(20, 18)).total
            #expect(wednesday[.inProgressOverdue] == 0 && wednesday[.inProgressOnTime] == 1)
            let f = try await reports.report(request, by: Week.leader, now: Week.at(20, 18)).total
            #expect(f[.received] == 2 && f[.stopped] == 1 && f[.withdrawn] == 0 && f[.resolvedOnTime] + f[.resolvedEarly] == 1)
            let withdrawn = try await reports.dossiers(behind: .withdrawn, request, by: Week.leader, after: nil, limit: 10, now: Week.at(20, 18))
            #expect(withdrawn.isEmpty)

            // The officer's report and trend hold officer-1's dossiers only.
            let mine = ReportRequest(period: period, agency: Week.commune, officer: "officer-1")
            let officer = try await reports.report(mine, by: Week.leader, now: Week.at(20, 18)).total
            #expect(officer[.resolvedOnTime] + officer[.resolvedEarly] == 1 && officer[.stopped] == 0)
            let trend = try await reports.trend(mine, by: Week.leader, now: Week.at(20, 18))
            #expect(trend.last?.sums[.received] == 1)
            let all = try await reports.trend(request, by: Week.leader, now: Week.at(20, 18))
            #expect(all.last?.sums[.received] == 2)
        }
    }

    /// A dossier with no fact (moved in from another system) gets one from its whole history at
    /// its next command, not from that command alone.
    @Test(arguments: TestDatabases.kinds)
    func aMissingFactIsMadeFromTheWholeHistory(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let (s, _) = try await service(database)
            let code = try await week.counter(s, Week.oneDay, accepted: Week.at(16, 8))
            _ = try await week.act(s, .requestSupplement(missing: ["Bản sao"], reason: "Thiếu"), code, Week.intake, Week.at(16, 9))
            let repository = ReportRepository(database: database)
            try await database.withConnection { db in
                try await db.delete(from: "dossier_facts").run()
                try await db.delete(from: "report_rollups").run()
                try await db.delete(from: "report_durations").run()
            }
            _ = try await week.act(s, .receiveSupplement, code, Week.intake, Week.at(17, 9))
            let facts = try await repository.storedFacts()
            #expect(facts.count == 1)
            #expect(facts.first?.supplementDay == CivilDate(year: 2026, month: 11, day: 16))
            #expect(facts.first?.receivedDay == CivilDate(year: 2026, month: 11, day: 16))
            var expected = Rollups()
            for fact in facts { expected.add(fact, sign: 1) }
            #expect(try await repository.storedRollups() == expected.trimmed)
        }
    }
}
