import Foundation
import MotCuaCore

/// One synthetic dossier's life, played through the real state machine: who applied where and
/// how, and every command with its time, until it ended or `now` came. Each dossier has its own
/// random stream (from the seed and its number), so a province is the same whatever the order
/// or batching of generation.
struct SyntheticLife: Sendable {
    struct Offer: Sendable {
        let procedure: Procedure
        let process: ProcessVersion
        let agencies: [String]
        let weight: Int
    }

    var state: DossierState
    var events: [DossierEvent] = []
    let procedure: Procedure
    let process: ProcessVersion
    let agency: String
    var currentAgency: String
    var visited: [String]
    var officer: String?
    let citizen: String?

    /// Random numbers for dossier `index` of the province with `seed`.
    struct Dice {
        var generator: SplitMix64
        init(seed: UInt64, index: Int) { generator = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15)) }
        mutating func next() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        mutating func chance(_ p: Double) -> Bool { next() < p }
        mutating func pick<T>(_ items: [T]) -> T { items[min(items.count - 1, Int(next() * Double(items.count)))] }
        mutating func between(_ low: Double, _ high: Double) -> Double { low + (high - low) * next() }
    }

    /// Plays dossier `index` of `count`: submitted between `from` and `now`, with realistic shares
    /// of channels, refusals, supplements, payments, hand-offs, lateness, apologies and ratings.
    /// Dossiers are submitted in the order of their index (each at a random moment of its own
    /// slice of the span), so that bulk writes append to the indexes by agency and day instead of
    /// landing all over them.
    static func play(index: Int, of count: Int, seed: UInt64, offers: [Offer], totalWeight: Int, from: Date, now: Date,
                     calendar: WorkingCalendar, policy: DossierPolicy) -> SyntheticLife? {
        var dice = Dice(seed: seed, index: index)
        var ticket = Int(dice.next() * Double(totalWeight))
        let offer = offers.first { ticket -= $0.weight; return ticket < 0 } ?? offers[0]
        let agency = dice.pick(offer.agencies)
        let channels = offer.procedure.channels
        let channel: Procedure.Channel = channels.contains(.online) && dice.chance(0.45) ? .online
            : channels.contains(.post) && dice.chance(0.05) ? .post : .counter
        let submitted = calendar.startOfCounting(from.addingTimeInterval((Double(index) + dice.next()) / Double(max(1, count)) * now.timeIntervalSince(from)))
        guard submitted < now else { return nil }
        let citizen = channel == .online ? "citizen-\(index % 50_000)" : nil
        let context = DossierContext(process: offer.process, timeLimit: offer.procedure.timeLimit, calendar: calendar, policy: policy)
        let intake = DossierActor(id: "intake-\(agency)", role: .intakeOfficer)
        let submitter = channel == .online ? DossierActor(id: citizen!, role: .citizen) : intake
        guard let (state, first) = try? DossierMachine.submit(channel: channel, by: submitter, at: submitted, context: context) else { return nil }
        var life = SyntheticLife(state: state, events: [first], procedure: offer.procedure, process: offer.process, agency: agency,
                                 currentAgency: agency, visited: [agency], officer: channel == .online ? nil : intake.id, citizen: citizen)
        life.state.fees = (try? offer.procedure.feesDue(choices: [:])) ?? []
        var t = submitted
        func later(_ hours: Double) -> Date { calendar.adding(workingSeconds: max(60, hours * 3600), to: t) }
        /// Gives the command at `at` if that is before `now`; false when the dossier's story stops.
        func give(_ command: DossierCommand, _ role: DossierRole, at: Date) -> Bool {
            guard at < now else { return false }
            let here = life.currentAgency
            let actor: DossierActor = switch role {
            case .citizen: DossierActor(id: citizen ?? "citizen", role: .citizen)
            case .intakeOfficer: intake
            case .leader: DossierActor(id: "leader-\(here)", role: .leader)
            default: DossierActor(id: "officer-\(here)-\(index % 3)", role: .processingOfficer)
            }
            guard let (next, event) = try? DossierMachine.apply(command, to: life.state, by: actor, at: at, context: context) else { return true }
            t = at
            life.state = next
            life.events.append(event)
            let agencyNow = next.stepIndex.flatMap { offer.process.steps[$0].agency } ?? agency
            if agencyNow != life.currentAgency {
                life.officer = nil
                if !life.visited.contains(agencyNow) { life.visited.append(agencyNow) }
            } else if role == .intakeOfficer || role == .processingOfficer {
                life.officer = actor.id
            }
            life.currentAgency = agencyNow
            return true
        }

        if channel == .online {
            if dice.chance(0.03) { _ = give(.refuse(reason: "Hồ sơ không thuộc thẩm quyền"), .intakeOfficer, at: later(dice.between(1, 8))); return life }
            if dice.chance(0.01) { _ = give(.withdraw(reason: "Người nộp rút hồ sơ"), .citizen, at: later(dice.between(1, 8))); return life }
        }
        guard give(.accept, .intakeOfficer, at: channel == .online ? later(dice.between(0.5, 12)) : t) else { return life }
        // Most work is early; some of it runs late (about one dossier in twelve).
        let slow = dice.chance(0.08) ? dice.between(1.3, 3) : 1
        let steps = offer.process.steps
        for (s, step) in steps.enumerated() {
            if s == 1, dice.chance(0.08) {
                guard give(.requestSupplement(missing: ["Bản sao giấy tờ tùy thân"], reason: "Thiếu giấy tờ"), .processingOfficer,
                           at: later(dice.between(0.2, 2))) else { return life }
                guard give(.receiveSupplement, .intakeOfficer, at: later(dice.between(4, 40))) else { return life }
            }
            if s == 1, dice.chance(0.05) {
                guard give(.requestPayment(amountVnd: 50_000, reason: "Phí thẩm định"), .processingOfficer, at: later(0.5)),
                      give(.recordPayment(reference: "GD\(index)", online: dice.chance(0.6)), .processingOfficer,
                           at: later(dice.between(2, 24))) else { return life }
            }
            if dice.chance(0.005) { _ = give(.stop(reason: "Dừng theo đề nghị của cơ quan có thẩm quyền"), .leader, at: later(1)); return life }
            let worked = later(step.budgetWorkingHours * dice.between(0.2, 0.95) * slow)
            if slow > 1, let appointment = life.state.appointment, worked > appointment, life.state.apologies == 0, dice.chance(0.5) {
                guard give(.apologise(reason: "Cần thêm thời gian xác minh", newAppointment: appointment.addingTimeInterval(3 * 86400)),
                           .leader, at: min(worked, appointment.addingTimeInterval(-3600))) else { return life }
            }
            if s + 1 < steps.count {
                guard give(.forward(note: nil), .processingOfficer, at: worked) else { return life }
            } else {
                guard give(.approve, .leader, at: worked), give(.markResultReady, .processingOfficer, at: later(0.2)) else { return life }
            }
        }
        guard give(.returnResult, .intakeOfficer, at: later(dice.between(0.5, 16))) else { return life }
        if citizen != nil, dice.chance(0.6) {
            let level: Rating.Level = dice.chance(0.92) ? (dice.chance(0.5) ? .verySatisfied : .satisfied) : .notSatisfied
            _ = give(.rate(Rating(level: level)), .citizen, at: later(dice.between(1, 40)))
        }
        return life
    }
}
