import Foundation
import Testing
@testable import MotCuaCore

@Suite struct DossierMachineTests {
    static let calendar = WorkingCalendarTests.calendar
    static let citizen = DossierActor(id: "c1", role: .citizen)
    static let intake = DossierActor(id: "i1", role: .intakeOfficer)
    static let officer = DossierActor(id: "p1", role: .processingOfficer)
    static let leader = DossierActor(id: "l1", role: .leader)

    /// 3 working days; intake 4 h, review 12 h (handed to a department), signature 4 h, return 4 h.
    static let context = DossierContext(
        process: ProcessVersion(version: 2, validFrom: CivilDate(2025, 7, 1), steps: [
            ProcessStep(name: "Tiếp nhận", role: .intake, budgetWorkingHours: 4),
            ProcessStep(name: "Thẩm định", agency: "000.00.05.H26", role: .specialist, budgetWorkingHours: 12, handoff: true),
            ProcessStep(name: "Ký duyệt", role: .leader, budgetWorkingHours: 4),
            ProcessStep(name: "Trả kết quả", role: .intake, budgetWorkingHours: 4),
        ]),
        timeLimit: .days(3), calendar: calendar)

    func run(_ state: DossierState, _ command: DossierCommand, _ actor: DossierActor, _ at: Date) throws -> DossierState {
        try DossierMachine.apply(command, to: state, by: actor, at: at, context: Self.context).0
    }

    /// Submitted online, accepted Monday 23 Nov 2026 09:00: 3 working days with Tuesday 24th
    /// (Culture Day) off, so due Friday 27th 09:00. A supplement wait of one working day moves it
    /// to Monday 30th 09:00; an apology before then sets a new date; the result is late against it.
    @Test func lifecycleWithSupplementHandOffAndApology() throws {
        var (state, event) = try DossierMachine.submit(channel: .online, by: Self.citizen, at: vn(2026, 11, 22, 20, 0), context: Self.context)
        #expect(state.status == .submitted && state.processVersion == 2 && event.toStatus == .submitted)
        state = try run(state, .accept, Self.intake, vn(2026, 11, 23, 9, 0))
        #expect(state.status == .accepted)
        #expect(state.appointment == vn(2026, 11, 27, 9, 0))
        #expect(state.stepDeadline == vn(2026, 11, 23, 14, 30))   // 2.5 h before lunch, 1.5 h after
        state = try run(state, .forward(note: nil), Self.intake, vn(2026, 11, 23, 11, 0))
        #expect(state.status == .processing && state.stepIndex == 1)
        #expect(state.stepDeadline == vn(2026, 11, 25, 16, 30))   // 12 h from Mon 11:00, skipping Tuesday
        state = try run(state, .requestSupplement(missing: ["Bản sao giấy chứng sinh"], reason: "Thiếu giấy tờ"), Self.officer, vn(2026, 11, 25, 9, 0))
        #expect(state.status == .supplementRequested && state.pausedSince == vn(2026, 11, 25, 9, 0))
        // A second request is refused: the limit is one.
        #expect(throws: DossierError.self) {
            try run(state, .requestSupplement(missing: ["x"], reason: "y"), Self.officer, vn(2026, 11, 25, 10, 0))
        }
        state = try run(state, .receiveSupplement, Self.citizen, vn(2026, 11, 26, 9, 0))
        #expect(state.status == .processing)
        #expect(state.appointment == vn(2026, 11, 30, 9, 0))
        #expect(state.pauses == [DateInterval(start: vn(2026, 11, 25, 9, 0), end: vn(2026, 11, 26, 9, 0))])
        state = try run(state, .forward(note: "Chuyển ký"), Self.officer, vn(2026, 11, 27, 10, 0))
        state = try run(state, .apologise(reason: "Cần xác minh thêm", newAppointment: vn(2026, 12, 2, 17, 0)), Self.leader, vn(2026, 11, 27, 11, 0))
        #expect(state.appointment == vn(2026, 12, 2, 17, 0) && state.apologies == 1)
        // The statutory due date moved with the paused day but not with the apology.
        #expect(state.statutoryDue == vn(2026, 11, 30, 9, 0))
        #expect(throws: DossierError.self) {
            try run(state, .apologise(reason: "x", newAppointment: vn(2026, 12, 10, 17, 0)), Self.leader, vn(2026, 11, 30, 9, 0))
        }
        state = try run(state, .forward(note: nil), Self.leader, vn(2026, 12, 1, 9, 0))
        #expect(state.stepIndex == 3)
        #expect(throws: DossierError.self) { try run(state, .markResultReady, Self.intake, vn(2026, 12, 1, 10, 0)) }
        state = try run(state, .approve, Self.leader, vn(2026, 12, 1, 10, 0))
        state = try run(state, .markResultReady, Self.intake, vn(2026, 12, 3, 9, 0))
        #expect(state.status == .resultReady)
        #expect(TimeStatus.of(deadline: state.appointment!, finishedAt: state.finishedAt, pausedSince: nil, now: vn(2026, 12, 3, 9, 0),
                              calendar: Self.calendar, dueSoonWorkingSeconds: 8 * 3600) == .late)
        state = try run(state, .returnResult, Self.intake, vn(2026, 12, 3, 10, 0))
        #expect(state.status == .returned)
        // A returned dossier cannot be supplemented, stopped or withdrawn.
        for command in [DossierCommand.requestSupplement(missing: ["x"], reason: "y"), .stop(reason: "x"), .withdraw(reason: "x")] {
            #expect(throws: DossierError("dossier.not_in_status", "")) {
                do { _ = try run(state, command, Self.leader, vn(2026, 12, 4)) } catch let error as DossierError {
                    throw DossierError(error.code, "")
                }
            }
        }
    }

    @Test func rolesReasonsAndCutOff() throws {
        #expect(throws: DossierError.self) {
            try DossierMachine.submit(channel: .counter, by: Self.citizen, at: vn(2026, 11, 23, 9, 0), context: Self.context)
        }
        let (submitted, _) = try DossierMachine.submit(channel: .counter, by: Self.intake, at: vn(2026, 11, 23, 16, 0), context: Self.context)
        #expect(throws: DossierError.self) { try run(submitted, .accept, Self.citizen, vn(2026, 11, 23, 16, 0)) }
        #expect(throws: DossierError.self) { try run(submitted, .refuse(reason: "  "), Self.intake, vn(2026, 11, 23, 16, 0)) }
        // Accepted at 16:00, after the 15:00 cut-off: counting starts Wednesday (Tuesday is a holiday).
        let accepted = try run(submitted, .accept, Self.intake, vn(2026, 11, 23, 16, 0))
        #expect(accepted.countingFrom == vn(2026, 11, 25, 7, 30))
        #expect(accepted.appointment == vn(2026, 11, 27, 17, 0))
        #expect(throws: DossierError.self) { try run(accepted, .approve, Self.leader, vn(2026, 11, 25, 8, 0)) }
        #expect(TimeStatus.of(deadline: accepted.appointment!, finishedAt: nil, pausedSince: nil, now: vn(2026, 11, 27, 9, 0),
                              calendar: Self.calendar, dueSoonWorkingSeconds: 8 * 3600) == .dueSoon)
        #expect(TimeStatus.of(deadline: accepted.appointment!, finishedAt: nil, pausedSince: nil, now: vn(2026, 11, 25, 9, 0),
                              calendar: Self.calendar, dueSoonWorkingSeconds: 8 * 3600) == .onSchedule)
        #expect(TimeStatus.of(deadline: accepted.appointment!, finishedAt: nil, pausedSince: nil, now: vn(2026, 11, 30, 9, 0),
                              calendar: Self.calendar, dueSoonWorkingSeconds: 8 * 3600) == .overdue)
        #expect(TimeStatus.of(deadline: accepted.appointment!, finishedAt: vn(2026, 11, 26, 9, 0), pausedSince: nil, now: vn(2026, 12, 1),
                              calendar: Self.calendar, dueSoonWorkingSeconds: 8 * 3600) == .early)
    }

    /// Random sequences of commands by random actors at increasing random instants never reach an
    /// inconsistent state: final statuses accept nothing; the clock is stopped exactly while papers
    /// or payment are awaited; limits hold; the appointment moves only as allowed; and without an
    /// apology the appointment is exactly the statutory working time after counting started, not
    /// counting the paused intervals.
    @Test func randomCommandSequencesKeepTheInvariants() throws {
        var rng = SplitMix64(seed: 766)
        let actors = [Self.citizen, Self.intake, Self.officer, Self.leader, DossierActor(id: "a", role: .systemAdmin)]
        let statutory = Self.context.timeLimit.totalWorkingHours * 3600
        var transitions = 0, clockChecks = 0, resumed = 0
        for _ in 0..<1000 {
            var now = vn(2026, 1, 5, 8, 0).addingTimeInterval(Double(Int.random(in: 0...(300 * 86_400), using: &rng)))
            var (state, _) = try DossierMachine.submit(channel: .online, by: Self.citizen, at: now, context: Self.context)
            var log: [String] = []
            for _ in 0..<30 {
                now = now.addingTimeInterval(Double(Int.random(in: 0...(86_400 / 2), using: &rng)))
                let command = randomCommand(&rng, now: now, state: state)
                let actor = actors.randomElement(using: &rng)!
                guard let (next, event) = try? DossierMachine.apply(command, to: state, by: actor, at: now, context: Self.context) else {
                    continue
                }
                transitions += 1
                log.append("\(WorkingCalendar.iso8601(now)) \(command.name) \(state.status.rawValue)→\(next.status.rawValue) appt=\(next.appointment.map(WorkingCalendar.iso8601) ?? "-") from=\(next.countingFrom.map(WorkingCalendar.iso8601) ?? "-")")
                // Only the applicant's rating follows a returned dossier, once, and changes nothing else.
                #expect(!state.status.isFinal || (command.name == "rate" && state.status == .returned && state.rating == nil),
                        "\(command.name) applied to a final dossier")
                if command.name == "rate" { #expect(next.status == state.status && next.appointment == state.appointment) }
                #expect(event.fromStatus == state.status && event.toStatus == next.status)
                #expect((next.pausedSince != nil) == (next.status.stopsTheClock && next.appointment != nil))
                #expect(next.supplementRequests <= Self.context.policy.maxSupplementRequests)
                #expect(next.apologies <= Self.context.policy.maxApologies)
                if let index = next.stepIndex { #expect((0..<Self.context.process.steps.count).contains(index)) }
                if let before = state.appointment, let after = next.appointment, after != before {
                    #expect(["receive_supplement", "record_payment", "apologise"].contains(command.name))
                    #expect(after > before)
                }
                for (a, b) in zip(next.pauses, next.pauses.dropFirst()) { #expect(a.end <= b.start) }
                // (A dossier stopped or withdrawn while paused keeps the appointment it had: it is over.)
                if next.apologies == 0, !next.status.isFinal, let start = next.countingFrom, let appointment = next.appointment, next.pausedSince == nil,
                   next.pauses.allSatisfy({ $0.start < state.appointment ?? appointment }) {
                    let counted = Self.calendar.workingSeconds(from: start, to: appointment, pausing: next.pauses)
                    clockChecks += 1
                    if !next.pauses.isEmpty { resumed += 1 }
                    #expect(abs(counted - statutory) < 1, "appointment \(appointment) counts \(counted / 3600) h\n\(log.joined(separator: "\n"))")
                }
                state = next
            }
        }
        #expect(transitions > 1500)
        // The clock invariant was checked often, and often after a pause.
        #expect(clockChecks > 500 && resumed > 10, "\(clockChecks) checks, \(resumed) after a pause")
    }

    @Test func commandsAvailableToARole() throws {
        var state = DossierState(channel: .online, processVersion: 1, submittedAt: Date())
        #expect(DossierCommand.available(to: .intakeOfficer, for: state, stepCount: 3) == ["accept", "refuse", "request_supplement", "withdraw"])
        #expect(DossierCommand.available(to: .citizen, for: state, stepCount: 3) == ["withdraw"])
        state.status = .processing
        state.stepIndex = 2
        #expect(DossierCommand.available(to: .leader, for: state, stepCount: 3) == ["send_back", "approve", "stop", "apologise"])
        state.approved = true
        #expect(DossierCommand.available(to: .processingOfficer, for: state, stepCount: 3).contains("mark_result_ready"))
        state.status = .returned
        #expect(DossierCommand.available(to: .citizen, for: state, stepCount: 3) == ["rate"])
        state.rating = Rating(level: .satisfied)
        #expect(DossierCommand.available(to: .citizen, for: state, stepCount: 3).isEmpty)
    }

    func randomCommand(_ rng: inout SplitMix64, now: Date, state: DossierState) -> DossierCommand {
        let later = (state.appointment ?? now).addingTimeInterval(Double(Int.random(in: -86_400...(5 * 86_400), using: &rng)))
        let options: [DossierCommand] = [
            .accept, .refuse(reason: "Không đúng thẩm quyền"), .requestSupplement(missing: ["Tờ khai"], reason: "Thiếu"),
            .receiveSupplement, .forward(note: nil), .sendBack(reason: "Sai sót"), .requestPayment(amountVnd: 100_000, reason: "Lệ phí"),
            .recordPayment(reference: "GD1"), .approve, .markResultReady, .returnResult, .stop(reason: "Dừng"),
            .withdraw(reason: "Rút"), .apologise(reason: "Trễ", newAppointment: later),
        ]
        // Lean towards moving forward so that sequences reach the later statuses.
        let drawn: DossierCommand = Int.random(in: 0..<3, using: &rng) == 0
            ? [.accept, .forward(note: nil), .approve, .markResultReady].randomElement(using: &rng)! : options.randomElement(using: &rng)!
        // A returned dossier is rated (drawn after the rest, so the other draws stay as they were).
        return state.status == .returned ? .rate(Rating(level: .satisfied, comment: "Tốt")) : drawn
    }
}
