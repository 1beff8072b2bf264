import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// Random dossier histories, each command kept in step with the rollups in its transaction: the
/// rollups then equal a full recomputation from the histories, and a report read from rollups
/// equals the same report computed from every fact.
@Suite struct RollupConsistencyTests {
    static let agencies: Set<String> = ["000.00.30.H26", "000.00.09.H26", "000.00.14.H26", "000.01.04.H26", "000.01.08.H26"]
    static let viewers: [DossierRole: Viewer] = [
        .intakeOfficer: Viewer(actor: DossierActor(id: "intake", role: .intakeOfficer), agencies: agencies),
        .processingOfficer: Viewer(actor: DossierActor(id: "officer", role: .processingOfficer), agencies: agencies),
        .leader: Viewer(actor: DossierActor(id: "leader", role: .leader), agencies: agencies),
        .citizen: Viewer(actor: DossierActor(id: "citizen", role: .citizen)),
    ]
    /// Procedure, receiving agency: one with a hand-off to a department, three at a commune.
    static let procedures = [("2.001583", "000.00.30.H26"), ("1.000894", "000.01.04.H26"), ("1.004884", "000.01.08.H26"),
                             ("1.013978", "000.01.04.H26")]

    func command(_ name: String, _ state: DossierState, _ rng: inout SplitMix64) -> DossierCommand? {
        switch name {
        case "accept": return .accept
        case "refuse": return .refuse(reason: "Không đủ điều kiện")
        case "request_supplement": return .requestSupplement(missing: ["Bản sao"], reason: "Thiếu giấy tờ")
        case "receive_supplement": return .receiveSupplement
        case "forward": return .forward(note: nil)
        case "send_back": return .sendBack(reason: "Xem lại")
        case "request_payment": return .requestPayment(amountVnd: 20000, reason: "Lệ phí")
        case "record_payment": return .recordPayment(reference: "GD", online: Bool.random(using: &rng))
        case "approve": return .approve
        case "mark_result_ready": return .markResultReady
        case "return_result": return .returnResult
        case "stop": return .stop(reason: "Dừng")
        case "withdraw": return .withdraw(reason: "Rút")
        case "apologise": return state.appointment.map { .apologise(reason: "Xin lỗi", newAppointment: $0.addingTimeInterval(3 * 86400)) }
        case "rate": return .rate(Rating(level: Rating.Level.allCases.randomElement(using: &rng)!))
        default: return nil
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func rollupsEqualRecomputationAfterRandomHistories(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let calendar = WorkingCalendar(holidays: try CalendarData.bundledHolidays.get())
            let service = DossierService(database: database, calendar: calendar)
            var rng = SplitMix64(seed: 2026)
            let start = WorkingCalendar.instant(CivilDate(year: 2026, month: 9, day: 1)!, 8 * 3600)
            for n in 0..<40 {
                var now = start.addingTimeInterval(Double.random(in: 0...(70 * 86400), using: &rng))
                let (procedure, agency) = Self.procedures.randomElement(using: &rng)!
                let online = Bool.random(using: &rng)
                let submission = DossierService.Submission(
                    procedureCode: procedure, channel: online ? .online : .counter, receivingAgency: agency,
                    applicant: Applicant(fullName: "Người nộp \(n)", citizenId: "001190012345", phone: "0912345678"),
                    acceptNow: !online && Bool.random(using: &rng))
                let viewer = online ? Self.viewers[.citizen]! : Self.viewers[.intakeOfficer]!
                let submitted = now
                var dossier = try await database.transaction { db in try await service.submit(submission, by: viewer, at: submitted, in: db) }
                let steps = try await CatalogueRepository(database: database).find(procedure)!.document.processes.last!.steps.count
                for _ in 0..<Int.random(in: 0...24, using: &rng) {
                    now = now.addingTimeInterval(Double.random(in: 600...(2 * 86400), using: &rng))
                    if Int.random(in: 0..<6, using: &rng) == 0 {
                        let id = "f\(n)-\(Int.random(in: 0..<1000, using: &rng))"
                        let by = Self.viewers[online ? .citizen : .intakeOfficer]!
                        _ = try? await service.attach(DossierDocument(id: id, label: id, filename: "\(id).pdf", type: .pdf, sizeBytes: 1,
                                                                      sha256: String(repeating: "b", count: 64), uploadedBy: by.actor,
                                                                      uploadedAt: now), to: dossier.code, by: by)
                    }
                    let choices = DossierRole.allCases.flatMap { role in
                        DossierCommand.available(to: role, for: dossier.state, stepCount: steps).map { (role, $0) }
                    }
                    // Moving forward is likelier than ending, so that histories get long.
                    let progress = choices.filter { ["forward", "approve", "mark_result_ready", "accept", "return_result", "receive_supplement",
                                                     "record_payment", "rate"].contains($0.1) }
                    let weighted = choices + progress + progress + progress
                    guard let (role, name) = weighted.randomElement(using: &rng), let viewer = Self.viewers[role],
                          let command = command(name, dossier.state, &rng) else { continue }
                    do {
                        dossier = try await service.act(command, on: dossier.code, expectedVersion: dossier.version, by: viewer, at: now)
                    } catch is DossierError {
                    } catch let error as StoreError {
                        guard case .notFound = error else { throw error }   // a citizen who is not the applicant
                    }
                }
            }
            let repository = ReportRepository(database: database)
            let kept = try await repository.storedRollups()
            let keptFacts = try await repository.storedFacts().sorted { $0.code < $1.code }
            #expect(keptFacts.count == 40)
            #expect(!kept.counters.isEmpty && !kept.durations.isEmpty)

            // The same figures from the rollups and from the facts, for periods of every shape.
            let today = CivilDate(year: 2026, month: 11, day: 20)!
            for period in [ReportPeriod.month(2026, 10)!, .quarter(2026, 4)!, .year(2026)!,
                           ReportPeriod(from: CivilDate(year: 2026, month: 9, day: 17)!, to: CivilDate(year: 2026, month: 11, day: 3)!)!] {
                let fromRollups = try await repository.inputs(ReportScope(), period: period, snapshot: min(period.to, today))[""]!
                let fromFacts = ReportInput.from(facts: keptFacts, period: period, snapshot: min(period.to, today))
                #expect(ReportFigures(fromRollups) == ReportFigures(fromFacts), "\(period)")
                let byAgency = try await repository.inputs(ReportScope(), period: period, snapshot: min(period.to, today), by: .agency)
                for (agency, input) in byAgency {
                    let facts = keptFacts.filter { $0.agency == agency }
                    #expect(ReportFigures(input) == ReportFigures(ReportInput.from(facts: facts, period: period, snapshot: min(period.to, today))))
                }
            }

            // Rebuilding from the histories changes nothing.
            #expect(try await repository.rebuild(calendar: calendar) == 40)
            #expect(try await repository.storedFacts().sorted { $0.code < $1.code } == keptFacts)
            #expect(try await repository.storedRollups() == kept)
        }
    }
}
