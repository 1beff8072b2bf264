import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// A week of a commune's dossiers, lived through the dossier service, and the report on it
/// computed by hand. Times are Vietnam's; sessions are 07:30–11:30 and 13:00–17:00, so one
/// working day from 08:00 ends at 08:00 the next working day.
@Suite struct ReportServiceTests {
    static let commune = "000.01.04.H26", police = "000.00.25.H26"
    static let citizen = Viewer(actor: DossierActor(id: "citizen-1", role: .citizen))
    static let intake = Viewer(actor: DossierActor(id: "intake-1", role: .intakeOfficer), agencies: [commune])
    static let officer = Viewer(actor: DossierActor(id: "officer-1", role: .processingOfficer), agencies: [commune])
    static let leader = Viewer(actor: DossierActor(id: "leader-1", role: .leader), agencies: [commune])
    static let policeLeader = Viewer(actor: DossierActor(id: "leader-2", role: .leader), agencies: [police])
    static let admin = Viewer(actor: DossierActor(id: "admin", role: .systemAdmin))
    /// 1 working day, 4 steps, no fee; and 5 working days, 6 steps, a fee.
    static let oneDay = "1.000894", fiveDays = "1.004884"

    static func at(_ d: Int, _ h: Int, _ m: Int = 0) -> Date {
        WorkingCalendar.instant(CivilDate(year: 2026, month: 11, day: d)!, Double(h * 3600 + m * 60))
    }

    struct Week {
        let service: DossierService
        let reports: ReportService
        var codes: [String: String] = [:]
    }

    static let person = Applicant(fullName: "Nguyễn Văn An", citizenId: "001190012345", phone: "0912345678")

    func act(_ s: DossierService, _ command: DossierCommand, _ code: String, _ viewer: Viewer, _ t: Date) async throws -> StoredDossier {
        let current = try await s.view(code, by: viewer)
        return try await s.act(command, on: code, expectedVersion: current.version, by: viewer, at: t)
    }

    func counter(_ s: DossierService, _ procedure: String, accepted t: Date) async throws -> String {
        let submission = DossierService.Submission(procedureCode: procedure, channel: .counter, receivingAgency: Self.commune,
                                                   applicant: Self.person, acceptNow: true)
        return try await s.database.transaction { db in try await s.submit(submission, by: Self.intake, at: t, in: db) }.code
    }

    /// Forwards to the last step, approves and marks the result ready at `t`.
    func resolve(_ s: DossierService, _ code: String, at t: Date) async throws {
        while true {
            do { _ = try await act(s, .forward(note: nil), code, Self.officer, t) } catch let error as DossierError where error.code == "dossier.no_next_step" { break }
        }
        _ = try await act(s, .approve, code, Self.leader, t)
        _ = try await act(s, .markResultReady, code, Self.officer, t)
    }

    func liveTheWeek(_ database: Database) async throws -> Week {
        try await CatalogueRepositoryTests.seeded(database)
        let calendar = WorkingCalendar(holidays: try CalendarData.bundledHolidays.get())
        let s = DossierService(database: database, calendar: calendar)
        var week = Week(service: s, reports: ReportService(database: database))
        // D7: accepted the Friday before at 10:00, due Monday 10:00, resolved Monday 15:00 (690
        // working minutes): late, carried over.
        week.codes["D7"] = try await counter(s, Self.oneDay, accepted: Self.at(13, 10))
        try await resolve(s, week.codes["D7"]!, at: Self.at(16, 15))
        // D1: online with a file, accepted Monday 08:00, due Tuesday 08:00, resolved Tuesday 07:45
        // (465 minutes): on time, not early; returned and rated.
        let d1 = try await s.submit(procedureCode: Self.oneDay, channel: .online, receivingAgency: Self.commune, applicant: Self.person,
                                    by: Self.citizen, at: Self.at(15, 20)).code
        week.codes["D1"] = d1
        _ = try await s.attach(DossierDocument(id: "f1", label: "Tờ khai", filename: "to-khai.pdf", type: .pdf, sizeBytes: 10,
                                               sha256: String(repeating: "a", count: 64), uploadedBy: Self.citizen.actor,
                                               uploadedAt: Self.at(15, 20, 30)), to: d1, by: Self.citizen)
        _ = try await act(s, .accept, d1, Self.intake, Self.at(16, 8))
        try await resolve(s, d1, at: Self.at(17, 7, 45))
        _ = try await act(s, .returnResult, d1, Self.intake, Self.at(17, 8, 30))
        _ = try await act(s, .rate(Rating(level: .satisfied)), d1, Self.citizen, Self.at(17, 9))
        // D2: accepted Monday 09:00, due Tuesday 09:00; an apology moves the appointment, not the
        // statutory date: resolved Wednesday 10:00 (1020 minutes), late with an apology.
        week.codes["D2"] = try await counter(s, Self.oneDay, accepted: Self.at(16, 9))
        _ = try await act(s, .apologise(reason: "Chờ xác minh", newAppointment: Self.at(18, 17)), week.codes["D2"]!, Self.leader, Self.at(16, 10))
        try await resolve(s, week.codes["D2"]!, at: Self.at(18, 10))
        // D3: a supplement asked an hour after acceptance: the clock stopped, open and on time.
        week.codes["D3"] = try await counter(s, Self.oneDay, accepted: Self.at(17, 8))
        _ = try await act(s, .requestSupplement(missing: ["Bản sao CCCD"], reason: "Thiếu giấy tờ"), week.codes["D3"]!, Self.intake, Self.at(17, 9))
        // D4: due Thursday 08:00 and still being processed on Friday: overdue.
        week.codes["D4"] = try await counter(s, Self.oneDay, accepted: Self.at(18, 8))
        _ = try await act(s, .forward(note: nil), week.codes["D4"]!, Self.officer, Self.at(18, 9))
        // D5: online, refused at intake: refused, never received.
        week.codes["D5"] = try await s.submit(procedureCode: Self.oneDay, channel: .online, receivingAgency: Self.commune,
                                              applicant: Self.person, by: Self.citizen, at: Self.at(19, 8)).code
        _ = try await act(s, .refuse(reason: "Không thuộc thẩm quyền"), week.codes["D5"]!, Self.intake, Self.at(19, 9))
        // D6: received Thursday, withdrawn Friday.
        week.codes["D6"] = try await counter(s, Self.oneDay, accepted: Self.at(19, 14))
        _ = try await act(s, .withdraw(reason: "Công dân rút"), week.codes["D6"]!, Self.intake, Self.at(20, 10))
        // D8: five days (due Monday 23rd) with a fee paid online (30 minutes paused), resolved
        // Wednesday 09:00 (1020 − 30 minutes): early.
        let d8 = try await counter(s, Self.fiveDays, accepted: Self.at(16, 8))
        week.codes["D8"] = d8
        _ = try await act(s, .forward(note: nil), d8, Self.officer, Self.at(16, 8, 30))
        _ = try await act(s, .requestPayment(amountVnd: 5000, reason: "Lệ phí"), d8, Self.officer, Self.at(16, 9))
        _ = try await act(s, .recordPayment(reference: "VNPAY-1", online: true), d8, Self.officer, Self.at(16, 9, 30))
        try await resolve(s, d8, at: Self.at(18, 9))
        return week
    }

    @Test(arguments: TestDatabases.kinds)
    func aWeekReportsAsComputedByHand(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let week = try await liveTheWeek(database)
            let period = ReportPeriod(from: CivilDate(year: 2026, month: 11, day: 16)!, to: CivilDate(year: 2026, month: 11, day: 20)!)!
            let request = ReportRequest(period: period, agency: Self.commune)
            let report = try await week.reports.report(request, by: Self.leader, breakdown: .procedure, now: Self.at(20, 18))
            let f = report.total
            let expected: [ReportFigures.Count: Int] = [
                .carriedOver: 1, .received: 6, .resolvedEarly: 1, .resolvedOnTime: 1, .resolvedLate: 2,
                .inProgressOnTime: 1, .inProgressOverdue: 1, .supplementRequested: 1, .refused: 1, .withdrawn: 1, .stopped: 0,
                .receivedOnlineFull: 0, .receivedOnlinePartial: 1, .feePayable: 1, .paidOnline: 1, .digitised: 1,
                .lateApologised: 1, .rated: 1, .satisfied: 1,
            ]
            for (count, value) in expected { #expect(f[count] == value, "\(count.rawValue)") }
            // 690 + 465 + 1020 + 990 working minutes over 4; half-day buckets 3, 2, 5, 5 → 2.5 days.
            #expect(f.averageWorkingDays == 3165.0 / 4 / 480)
            #expect(f.p90WorkingDays == 2.5)
            #expect(report.rows.map(\.key) == [Self.oneDay, Self.fiveDays])
            #expect(report.rows.map { $0.figures[.received] } == [5, 1])

            // Each figure drills down to exactly as many dossiers, by code.
            for count in ReportFigures.Count.allCases {
                let list = try await week.reports.dossiers(behind: count, request, by: Self.leader, after: nil, limit: 100, now: Self.at(20, 18))
                #expect(list.count == f[count], "\(count)")
            }
            let late = try await week.reports.dossiers(behind: .resolvedLate, request, by: Self.leader, after: nil, limit: 100, now: Self.at(20, 18))
            #expect(late.map(\.code) == [week.codes["D7"]!, week.codes["D2"]!])
            let page = try await week.reports.dossiers(behind: .resolvedLate, request, by: Self.leader, after: week.codes["D7"]!, limit: 100,
                                                       now: Self.at(20, 18))
            #expect(page.map(\.code) == [week.codes["D2"]!])

            // The month counts D7 as received in it; the unit of the commune counts the same dossiers.
            let month = try await week.reports.report(ReportRequest(period: .month(2026, 11)!, agency: Self.commune), by: Self.leader,
                                                      now: Self.at(20, 18)).total
            #expect(month[.carriedOver] == 0 && month[.received] == 7 && month[.resolvedLate] == 2)
            let unit = try await week.reports.report(ReportRequest(period: period, unitCode: "00004"), by: Self.admin, now: Self.at(20, 18)).total
            #expect(unit == f)
            let otherUnit = try await week.reports.report(ReportRequest(period: period, unitCode: "00008"), by: Self.admin, now: Self.at(20, 18)).total
            #expect(otherUnit[.received] == 0)

            // The index: on time 2 of 4 resolved → 7 of 14; open on time 1 of 2 → 3 of 6.
            let index = try await week.reports.serviceIndex(request, by: Self.leader, index: try ServiceIndex.bundled.get(), now: Self.at(20, 18))
            #expect(index.total.groups.first { $0.id == "progress" }?.points == 10)
            #expect(index.agencies.map(\.agency) == [Self.commune])

            // Who may read it.
            await #expect(throws: DossierError.self) { try await week.reports.report(request, by: Self.citizen) }
            await #expect(throws: DossierError.self) { try await week.reports.report(request, by: Self.policeLeader) }
            await #expect(throws: DossierError.self) {
                try await week.reports.report(ReportRequest(period: period, officer: "officer-1"), by: Self.intake)
            }
            let police = try await week.reports.report(ReportRequest(period: period), by: Self.policeLeader, now: Self.at(20, 18)).total
            #expect(police[.received] == 0)
        }
    }
}

/// A report for a 2025 unit counts the agencies of the legacy units it took over; a 2025
/// province also those of its legacy districts.
@Suite struct ReportUnitScopeTests {
    @Test(arguments: TestDatabases.kinds)
    func legacyUnitsCountInTheirSuccessorsReports(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let units = UnitRepository(database: database)
            try await units.importUnits(try BundledUnitLists.legacy().filter { $0.provinceCode == "01" })
            try await units.applyMerges(try BundledUnitLists.merges().filter { $0.successorCode == "00004" || $0.successorCode == "00008" })
            try await database.transaction { db in
                // The old Phúc Xá ward (00004 before the reform too), Trúc Bạch (00013, now part of Ba Đình),
                // and the old Ba Đình district (001).
                _ = try await AgencyRepository.create(Agency(code: "OLD.00013", name: "UBND phường Trúc Bạch (cũ)", kind: .communeCommittee,
                                                             unitScheme: .legacy, unitCode: "00013"), in: db)
                _ = try await AgencyRepository.create(Agency(code: "OLD.001", name: "UBND quận Ba Đình (cũ)", kind: .districtOffice,
                                                             unitScheme: .legacy, unitCode: "001"), in: db)
            }
            let inBaDinh = try await database.withConnection { db in try await ReportService.agencies(inUnit: "00004", scheme: .reform2025, in: db) }
            #expect(inBaDinh == ["000.01.04.H26", "000.02.04.H26", "OLD.00013"])
            let inHanoi = try await database.withConnection { db in try await ReportService.agencies(inUnit: "01", scheme: .reform2025, in: db) }
            #expect(inHanoi.isSuperset(of: ["000.00.30.H26", "000.01.04.H26", "000.01.08.H26", "OLD.00013", "OLD.001"]))
            let legacyWard = try await database.withConnection { db in try await ReportService.agencies(inUnit: "00013", scheme: .legacy, in: db) }
            #expect(legacyWard == ["OLD.00013"])
            await #expect(throws: StoreError.self) {
                try await database.withConnection { db in try await ReportService.agencies(inUnit: "99999", scheme: .reform2025, in: db) }
            }
        }
    }
}
