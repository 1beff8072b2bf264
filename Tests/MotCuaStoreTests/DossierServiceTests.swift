import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// The whole life cycle through the service, with a supplement, an inter-agency hand-off and an
/// apology, and who may see and act at each point, on both databases.
@Suite struct DossierServiceTests {
    static let centre = "000.00.30.H26", finance = "000.00.09.H26", justice = "000.00.05.H26"
    static let citizen = Viewer(actor: DossierActor(id: "citizen-1", role: .citizen))
    static let otherCitizen = Viewer(actor: DossierActor(id: "citizen-2", role: .citizen))
    static let intake = Viewer(actor: DossierActor(id: "intake-1", role: .intakeOfficer), agencies: [centre])
    static let specialist = Viewer(actor: DossierActor(id: "spec-1", role: .processingOfficer), agencies: [finance])
    static let financeLeader = Viewer(actor: DossierActor(id: "lead-1", role: .leader), agencies: [finance])
    static let stranger = Viewer(actor: DossierActor(id: "spec-2", role: .processingOfficer), agencies: [justice])
    static let admin = Viewer(actor: DossierActor(id: "admin", role: .systemAdmin), agencies: [centre, finance])

    static func vnTime(_ d: Int, _ h: Int, _ m: Int = 0) -> Date {
        WorkingCalendar.instant(CivilDate(year: 2026, month: 11, day: d)!, Double(h * 3600 + m * 60))
    }

    /// The demo catalogue in `database`, and a dossier service on it.
    static func seededService(_ database: Database) async throws -> DossierService {
        try await CatalogueRepositoryTests.seeded(database)
        return DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
    }

    static let applicant = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345")

    /// The citizen's online submission of procedure 2.001583 at the centre.
    static func submitOnline(_ service: DossierService, applicant: Applicant = applicant) async throws -> StoredDossier {
        try await service.submit(procedureCode: "2.001583", channel: .online, receivingAgency: centre, applicant: applicant, by: citizen)
    }

    /// The same submission, checked, for a caller's own transaction.
    static func onlineSubmission(applicant: Applicant = applicant) throws -> DossierService.Submission {
        try DossierService.Submission(procedureCode: "2.001583", channel: .online, receivingAgency: centre, applicant: applicant).validated()
    }

    func expectHidden(_ service: DossierService, _ code: String, from viewer: Viewer) async {
        await #expect(throws: StoreError.notFound("dossier \(code)")) { try await service.view(code, by: viewer) }
    }

    @Test func aSubmissionCheckedBeforeItsTransactionIsCheckedAgainIfItsApplicantChanges() async throws {
        try await TestDatabases.withFresh(.sqlite) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
            let valid = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "+84 912 345 678")
            var submission = try Self.onlineSubmission(applicant: valid)
            // Checked and normalised outside any transaction.
            #expect(submission.checkedForYear != nil && submission.applicant.phone == "0912345678")
            #expect(throws: ValidationError.self) {
                try DossierService.Submission(procedureCode: "2.001583", channel: .online, receivingAgency: Self.centre,
                                              applicant: Applicant(fullName: "Trần Thị Bình", citizenId: "003190012345")).validated()
            }
            // Changed after the check: checked again inside, and refused.
            submission.applicant.citizenId = "003190012345"
            #expect(submission.checkedForYear == nil)
            let changed = submission
            await #expect(throws: ValidationError.self) {
                try await database.transaction { db in try await service.submit(changed, by: Self.citizen, in: db) }
            }
            submission.applicant = valid
            let checked = try submission.validated()
            let dossier = try await database.transaction { db in try await service.submit(checked, by: Self.citizen, in: db) }
            #expect(dossier.applicant.phone == "0912345678")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func lifecycleAndAccess(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
            // An invalid citizen id is refused with its reason and nothing is created.
            await #expect(throws: ValidationError.self) {
                try await service.submit(procedureCode: "2.001583", channel: .online, receivingAgency: Self.centre,
                                         applicant: Applicant(fullName: "Trần Thị Bình", citizenId: "003190012345"), by: Self.citizen)
            }
            var dossier = try await service.submit(
                procedureCode: "2.001583", channel: .online, receivingAgency: Self.centre,
                applicant: Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "+84 912 345 678"),
                by: Self.citizen, at: Self.vnTime(22, 20))
            let code = dossier.code
            #expect(code == "000.00.30.H26-261122-0001" && dossier.applicant.phone == "0912345678")

            // Before any hand-off only the applicant and the centre see it.
            _ = try await service.view(code, by: Self.citizen)
            _ = try await service.view(code, by: Self.intake)
            for viewer in [Self.otherCitizen, Self.specialist, Self.stranger, Self.admin] { await expectHidden(service, code, from: viewer) }

            dossier = try await service.act(.accept, on: code, expectedVersion: 1, by: Self.intake, at: Self.vnTime(23, 8))
            // 3 working days = 24 h from Monday 08:00; Tuesday 24th is Culture Day: Friday 27th 08:00.
            #expect(dossier.state.appointment == Self.vnTime(27, 8))
            // Acting on a stale version is refused.
            await #expect(throws: StoreError.staleVersion(current: 2)) {
                try await service.act(.forward(note: nil), on: code, expectedVersion: 1, by: Self.intake, at: Self.vnTime(23, 8, 30))
            }
            dossier = try await service.act(.forward(note: nil), on: code, expectedVersion: 2, by: Self.intake, at: Self.vnTime(23, 8, 30))
            #expect(dossier.currentAgency == Self.finance)
            // Now the department sees and acts; the centre still sees it but cannot act.
            _ = try await service.view(code, by: Self.specialist)
            await #expect(throws: DossierError.self) {
                try await service.act(.sendBack(reason: "x"), on: code, expectedVersion: 3, by: Self.intake, at: Self.vnTime(23, 9))
            }
            await expectHidden(service, code, from: Self.stranger)

            dossier = try await service.act(.requestSupplement(missing: ["Điều lệ công ty"], reason: "Thiếu điều lệ"), on: code,
                                             expectedVersion: 3, by: Self.specialist, at: Self.vnTime(23, 10))
            #expect(dossier.state.status == .supplementRequested)
            // The citizen may supply papers only for their own dossier.
            await #expect(throws: StoreError.self) {
                try await service.act(.receiveSupplement, on: code, expectedVersion: 4, by: Self.otherCitizen, at: Self.vnTime(25, 10))
            }
            dossier = try await service.act(.receiveSupplement, on: code, expectedVersion: 4, by: Self.citizen, at: Self.vnTime(25, 10))
            // Paused Monday 10:00 → Wednesday 10:00: 8 working hours, so Friday 08:00 → Monday 30th 08:00.
            #expect(dossier.state.appointment == Self.vnTime(30, 8))
            dossier = try await service.act(.apologise(reason: "Chờ xác minh", newAppointment: Self.vnTime(30, 17)), on: code,
                                             expectedVersion: 5, by: Self.financeLeader, at: Self.vnTime(27, 9))
            dossier = try await service.act(.forward(note: nil), on: code, expectedVersion: 6, by: Self.specialist, at: Self.vnTime(27, 10))
            dossier = try await service.act(.forward(note: nil), on: code, expectedVersion: 7, by: Self.financeLeader, at: Self.vnTime(27, 11))
            #expect(dossier.currentAgency == Self.centre)
            await #expect(throws: DossierError.self) {   // not the leader of the centre
                try await service.act(.approve, on: code, expectedVersion: 8, by: Self.financeLeader, at: Self.vnTime(27, 13))
            }
            let centreLeader = Viewer(actor: DossierActor(id: "lead-2", role: .leader), agencies: [Self.centre])
            dossier = try await service.act(.approve, on: code, expectedVersion: 8, by: centreLeader, at: Self.vnTime(27, 13))
            dossier = try await service.act(.markResultReady, on: code, expectedVersion: 9, by: Self.intake, at: Self.vnTime(27, 14))
            dossier = try await service.act(.returnResult, on: code, expectedVersion: 10, by: Self.intake, at: Self.vnTime(27, 15))
            #expect(dossier.state.status == .returned && dossier.version == 11)

            let history = try await DossierRepository(database: database).events(code)
            #expect(history.map(\.command) == ["submit", "accept", "forward", "request_supplement", "receive_supplement", "apologise",
                                               "forward", "forward", "approve", "mark_result_ready", "return_result"])
            #expect(history.map(\.toStatus.rawValue) == [1, 2, 4, 5, 4, 4, 4, 4, 4, 9, 10])
            #expect(TimeStatus.of(deadline: dossier.state.appointment!, finishedAt: dossier.state.finishedAt, pausedSince: nil,
                                  now: Self.vnTime(28, 0), calendar: service.calendar, dueSoonWorkingSeconds: 8 * 3600) == .early)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func inboxesAndTracking(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
            var codes: [String] = []
            // Five dossiers accepted an hour apart on Monday 23rd: step 0 (0.5 h) deadlines in that order.
            for hour in 0..<5 {
                let submitted = try await service.submit(
                    procedureCode: "2.001583", channel: .counter, receivingAgency: Self.centre,
                    applicant: Applicant(fullName: "Lê Văn C", citizenId: "001090012345", phone: "0987654321"),
                    by: Self.intake, at: Self.vnTime(23, 7 + hour, 30))
                _ = try await service.act(.accept, on: submitted.code, expectedVersion: 1, by: Self.intake, at: Self.vnTime(23, 7 + hour, 45))
                codes.append(submitted.code)
            }
            let page1 = try await service.inbox(for: Self.intake, limit: 2, now: Self.vnTime(23, 12))
            #expect(page1.map(\.code) == Array(codes.prefix(2)))
            let last = page1.last!
            let page2 = try await service.inbox(for: Self.intake, after: (StoredTime.ms(last.state.stepDeadline)!, last.code),
                                                limit: 10, now: Self.vnTime(23, 12))
            #expect(page2.map(\.code) == Array(codes.dropFirst(2)))
            // At noon the steps due 8:15, 9:15, 10:15 and 11:15 are overdue; the fifth (after lunch, 13:30) is not.
            let overdue = try await service.inbox(for: Self.intake, overdueOnly: true, limit: 10, now: Self.vnTime(23, 12))
            #expect(overdue.map(\.code) == Array(codes.prefix(4)))
            #expect(try await service.inbox(for: Self.stranger, limit: 10).isEmpty)
            #expect(try await service.inbox(for: Self.citizen, limit: 10).isEmpty)

            let tracked = try await service.track(codes[0], lastFourDigits: "4321")
            #expect(tracked.status == .accepted && tracked.appointment != nil)
            #expect(try await service.track(codes[0], lastFourDigits: "2345").code == codes[0])
            await #expect(throws: StoreError.self) { try await service.track(codes[0], lastFourDigits: "0000") }
            await #expect(throws: StoreError.self) { try await service.track("nope", lastFourDigits: "4321") }
        }
    }
}
