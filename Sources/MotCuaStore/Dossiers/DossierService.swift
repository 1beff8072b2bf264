import Foundation
import MotCuaCore
import SQLKit

/// Who is asking: their role, their account, and for officers the agencies they belong to.
public struct Viewer: Sendable, Hashable {
    public let actor: DossierActor
    public let agencies: Set<String>

    public init(actor: DossierActor, agencies: Set<String> = []) {
        self.actor = actor
        self.agencies = agencies
    }

    public var isOfficer: Bool { [.intakeOfficer, .processingOfficer, .leader].contains(actor.role) }
}

/// The dossier use cases: access is decided here, not by routes. A citizen sees and acts on their
/// own dossiers only; an officer sees a dossier while it is, or once was, with one of their
/// agencies, and acts on it only while it is with one of them. Anything else is "not found", so
/// that nobody learns a dossier exists.
public struct DossierService: Sendable {
    public let database: Database
    public let calendar: WorkingCalendar
    public let policy: DossierPolicy
    /// The channels applicants are told on (each needs the contact data: a phone, an address).
    public let notificationChannels: [NotificationChannel]

    public init(database: Database, calendar: WorkingCalendar, policy: DossierPolicy = DossierPolicy(),
                notificationChannels: [NotificationChannel] = [.sms, .email]) {
        self.database = database
        self.calendar = calendar
        self.policy = policy
        self.notificationChannels = notificationChannels
    }

    let procedures = ProcedureCache()
    let agencyProvinces = AgencyProvinces()

    /// What a submission carries besides the applicant.
    public struct Submission: Sendable {
        public var procedureCode: String
        public var channel: Procedure.Channel
        public var receivingAgency: String
        public var applicant: Applicant {
            didSet { checkedForYear = nil }
        }
        public var feeChoices: [String: Int]
        /// At the counter the intake officer usually accepts at once, handing over the receipt.
        public var acceptNow: Bool

        public init(procedureCode: String, channel: Procedure.Channel, receivingAgency: String, applicant: Applicant,
                    feeChoices: [String: Int] = [:], acceptNow: Bool = false) {
            self.procedureCode = procedureCode
            self.channel = channel
            self.receivingAgency = receivingAgency
            self.applicant = applicant
            self.feeChoices = feeChoices
            self.acceptNow = acceptNow
        }

        /// The year `applicant` was checked and normalised for by `validated(at:)` (a citizen ID's
        /// birth year is judged against it); nil until then.
        private(set) var checkedForYear: Int?

        /// Checks and normalises the applicant before any transaction, so that bad input is refused
        /// without a turn on SQLite's one writer, and the write lock is not held while checking.
        public func validated(at now: Date = Date()) throws -> Submission {
            var checked = self
            let year = WorkingCalendar.local(now).0.year
            checked.applicant = try applicant.validated(currentYear: year)
            checked.checkedForYear = year
            return checked
        }

        /// The applicant checked for the year of `now`, checked again only if not yet done for that year.
        func checkedApplicant(at now: Date) throws -> Applicant {
            let year = WorkingCalendar.local(now).0.year
            return checkedForYear == year ? applicant : try applicant.validated(currentYear: year)
        }
    }

    /// A new dossier on the procedure's latest process version, received by `agency`.
    public func submit(procedureCode: String, channel: Procedure.Channel, receivingAgency agency: String, applicant: Applicant,
                       by viewer: Viewer, at now: Date = Date()) async throws -> StoredDossier {
        let submission = Submission(procedureCode: procedureCode, channel: channel, receivingAgency: agency, applicant: applicant)
        return try await database.transaction { db in try await self.submit(submission, by: viewer, at: now, in: db) }
    }

    /// Submits inside the caller's transaction (which also records an idempotency key).
    public func submit(_ submission: Submission, by viewer: Viewer, at now: Date = Date(), in db: any SQLDatabase) async throws -> StoredDossier {
        let applicant = try submission.checkedApplicant(at: now)
        let agency = submission.receivingAgency
        if viewer.isOfficer, !viewer.agencies.contains(agency) {
            throw DossierError("auth.forbidden", "Cán bộ chỉ nhận hồ sơ cho cơ quan của mình")
        }
        guard let stored = try await procedures.find(submission.procedureCode, in: db),
              stored.document.procedure.status == .published, let process = stored.document.processes.last
        else { throw StoreError.notFound("procedure \(submission.procedureCode)") }
        let procedure = stored.document.procedure
        guard procedure.channels.contains(submission.channel) else {
            throw DossierError("dossier.channel_not_accepted", "Thủ tục không nhận hồ sơ qua kênh \(submission.channel.rawValue)")
        }
        guard procedure.receivingAgencies.contains(agency),
              let provinceCode = try await agencyProvinces.province(of: agency, in: db)
        else { throw DossierError("dossier.agency_not_receiving", "Cơ quan \(agency) không tiếp nhận thủ tục này") }
        let context = DossierContext(process: process, timeLimit: procedure.timeLimit, calendar: calendar, policy: policy)
        var (state, event) = try DossierMachine.submit(channel: submission.channel, by: viewer.actor, at: now, context: context)
        state.fees = try procedure.feesDue(choices: submission.feeChoices)
        let officer = viewer.isOfficer ? viewer.actor.id : nil
        let applicantAccount = viewer.actor.role == .citizen ? viewer.actor.id : nil
        // The dossier, its history, trail, messages, fact and rollups go together (one round trip on PostgreSQL).
        return try await db.withDeferredWrites { db in
            guard submission.acceptNow else {
                let dossier = try await DossierRepository.create(
                    procedureCode: submission.procedureCode, receivingAgency: agency, provinceCode: provinceCode,
                    applicantAccount: applicantAccount, applicant: applicant, state: state, events: [event], responsibleOfficer: officer, in: db)
                try await OutboxRepository.enqueue(code: dossier.code, sequence: 1, event: event, state: state, applicant: applicant,
                                                   channels: notificationChannels, in: db)
                try await recordFact(of: dossier, after: nil, onlineLevel: procedure.onlineLevel, prior: .created(Self.newFact(of: dossier, createdBy: event)), in: db)
                return dossier
            }
            // Accepted in the same transaction: the dossier is written once, already accepted, with both
            // events; its fact and rollups are written once too. The same rules as a later acceptance.
            let accepted = try Self.transition(.accept, from: state, at: agency, heldBy: officer, by: viewer, at: now, context: context)
            let dossier = try await DossierRepository.create(
                procedureCode: submission.procedureCode, receivingAgency: agency, provinceCode: provinceCode,
                applicantAccount: applicantAccount, applicant: applicant, state: accepted.state, events: [event, accepted.event],
                currentAgency: accepted.currentAgency, responsibleOfficer: accepted.officer, in: db)
            try await OutboxRepository.enqueue(code: dossier.code, events: [(1, event, state), (2, accepted.event, accepted.state)],
                                               applicant: applicant, channels: notificationChannels, in: db)
            try await recordFact(of: dossier, after: accepted.event, onlineLevel: procedure.onlineLevel,
                                 prior: .created(Self.newFact(of: dossier, createdBy: event)), in: db)
            return dossier
        }
    }

    /// The dossier if the viewer may see it.
    public func view(_ code: String, by viewer: Viewer) async throws -> StoredDossier {
        try await database.withConnection { db in
            guard let dossier = try await DossierRepository.find(code, in: db),
                  try await Self.maySee(dossier, viewer, in: db)
            else { throw StoreError.notFound("dossier \(code)") }
            return dossier
        }
    }

    /// Gives a command at the version the viewer read; the new state, its event and the messages
    /// to the applicant are written together, or nothing is.
    public func act(_ command: DossierCommand, on code: String, expectedVersion: Int, by viewer: Viewer,
                    at now: Date = Date()) async throws -> StoredDossier {
        try await database.transaction { db in
            guard let (dossier, fact) = try await DossierRepository.findForChange(code, in: db),
                  try await Self.maySee(dossier, viewer, in: db)
            else { throw StoreError.notFound("dossier \(code)") }
            guard dossier.version == expectedVersion else { throw StoreError.staleVersion(current: dossier.version) }
            return try await self.apply(command, to: dossier, fact: .stored(fact), by: viewer, at: now, in: db)
        }
    }

    /// `dossier` (and `fact`, when read) as `DossierRepository.findForChange` read and locked them
    /// in this transaction.
    func apply(_ command: DossierCommand, to dossier: StoredDossier, fact: PriorFact, by viewer: Viewer, at now: Date,
               in db: any SQLDatabase) async throws -> StoredDossier {
        if viewer.isOfficer, !viewer.agencies.contains(dossier.currentAgency) {
            throw DossierError("auth.forbidden", "Hồ sơ đang ở cơ quan khác")
        }
        guard let procedure = try await procedures.find(dossier.procedureCode, having: dossier.processVersion, in: db),
              let process = procedure.document.processes.first(where: { $0.version == dossier.processVersion })
        else { throw StoreError.notFound("process \(dossier.procedureCode) v\(dossier.processVersion)") }
        let context = DossierContext(process: process, timeLimit: procedure.document.procedure.timeLimit, calendar: calendar, policy: policy)
        let next = try Self.transition(command, from: dossier.state, at: dossier.currentAgency, heldBy: dossier.responsibleOfficer,
                                       by: viewer, at: now, context: context)
        // The update, history, trail, messages, fact and rollups go together (one round trip on PostgreSQL).
        return try await db.withDeferredWrites { db in
            let version = try await DossierRepository.save(dossier.code, expectedVersion: dossier.version, state: next.state,
                                                           currentAgency: next.currentAgency, previousAgency: dossier.currentAgency,
                                                           responsibleOfficer: next.officer, event: next.event, in: db)
            try await OutboxRepository.enqueue(code: dossier.code, sequence: version, event: next.event, state: next.state,
                                               applicant: dossier.applicant, channels: notificationChannels, in: db)
            let updated = StoredDossier(code: dossier.code, procedureCode: dossier.procedureCode, processVersion: dossier.processVersion,
                                        receivingAgency: dossier.receivingAgency, currentAgency: next.currentAgency,
                                        provinceCode: dossier.provinceCode, applicantAccount: dossier.applicantAccount,
                                        applicant: dossier.applicant, state: next.state, version: version, responsibleOfficer: next.officer)
            try await recordFact(of: updated, after: next.event, onlineLevel: procedure.document.procedure.onlineLevel, prior: fact, in: db)
            return updated
        }
    }

    /// What a command makes of a dossier: its new state and event, the agency it is with then,
    /// and the officer holding it there.
    struct Transition {
        let state: DossierState
        let event: DossierEvent
        let currentAgency: String
        let officer: String?
    }

    static func transition(_ command: DossierCommand, from state: DossierState, at agency: String, heldBy holder: String?,
                           by viewer: Viewer, at now: Date, context: DossierContext) throws -> Transition {
        let (next, event) = try DossierMachine.apply(command, to: state, by: viewer.actor, at: now, context: context)
        let currentAgency = next.stepIndex.flatMap { context.process.steps[$0].agency } ?? agency
        // Whoever last worked on it at this agency holds it; a hand-off leaves it unassigned, and
        // a leader's approval does not take it over.
        // Once the result is ready, handing it back is not processing: the one who finished keeps it.
        let officer: String? = currentAgency != agency ? nil
            : state.finishedAt != nil ? holder
            : [.intakeOfficer, .processingOfficer].contains(viewer.actor.role) ? viewer.actor.id : holder
        return Transition(state: next, event: event, currentAgency: currentAgency, officer: officer)
    }

    /// The process version a dossier follows, for its answer: read once, then held.
    public func process(of dossier: StoredDossier) async throws -> ProcessVersion? {
        if let held = procedures.heldProcess(dossier.procedureCode, version: dossier.processVersion) { return held }
        return try await database.withConnection { db in try await process(of: dossier, in: db) }
    }

    /// The same, inside the caller's transaction.
    public func process(of dossier: StoredDossier, in db: any SQLDatabase) async throws -> ProcessVersion? {
        try await procedures.process(dossier.procedureCode, version: dossier.processVersion, in: db)
    }

    /// The history of a dossier the viewer may see.
    public func history(_ code: String, by viewer: Viewer) async throws -> [DossierEvent] {
        _ = try await view(code, by: viewer)
        return try await DossierRepository(database: database).events(code)
    }

    /// A citizen's own dossiers, newest first, keyset-paged by code.
    public func mine(_ viewer: Viewer, before: String?, limit: Int) async throws -> [StoredDossier] {
        guard viewer.actor.role == .citizen else { return [] }
        return try await database.withConnection { db in
            var query = DossierRepository.selectDossiers(db).where("applicant_account", .equal, viewer.actor.id)
            if let before { query = query.where("code", .lessThan, before) }
            return try await query.orderBy("code", .descending).limit(limit).all().map(DossierRepository.decode)
        }
    }

    /// Where a deadline of the dossier stands now (early, on time, due soon, overdue…), judged in
    /// working time with the configured due-soon window.
    public func judge(_ deadline: Date?, of state: DossierState, now: Date = Date()) -> TimeStatus? {
        deadline.map {
            TimeStatus.of(deadline: $0, finishedAt: state.finishedAt, pausedSince: state.pausedSince, now: now,
                          calendar: calendar, dueSoonWorkingSeconds: policy.dueSoonWorkingSeconds)
        }
    }

    /// For a leader: the agency's open dossiers whose step is overdue or due soon, by officer.
    public struct DeadlineWatch: Sendable {
        public let overdue: [StoredDossier]
        public let dueSoon: [StoredDossier]

        /// One entry per officer holding any of them (nil: not assigned), in officer order.
        public var byOfficer: [(officer: String?, overdue: [StoredDossier], dueSoon: [StoredDossier])] {
            Set((overdue + dueSoon).map { $0.responsibleOfficer ?? "" }).sorted().map { key in
                (key.isEmpty ? nil : key, overdue.filter { ($0.responsibleOfficer ?? "") == key },
                 dueSoon.filter { ($0.responsibleOfficer ?? "") == key })
            }
        }
    }

    public func deadlines(agency: String, by viewer: Viewer, now: Date = Date(), limit: Int = 500) async throws -> DeadlineWatch {
        guard viewer.actor.role == .leader, viewer.agencies.contains(agency) else {
            throw DossierError("auth.forbidden", "Chỉ lãnh đạo của cơ quan xem theo dõi hạn xử lý")
        }
        let soon = calendar.adding(workingSeconds: policy.dueSoonWorkingSeconds, to: now)
        let rows = try await DossierRepository(database: database).inbox(agencies: [agency], deadlineBefore: soon, limit: limit)
        let judged = rows.map { dossier in (dossier, judge(dossier.state.stepDeadline, of: dossier.state, now: now)) }
        return DeadlineWatch(overdue: judged.filter { $0.1 == .overdue }.map(\.0), dueSoon: judged.filter { $0.1 == .dueSoon }.map(\.0))
    }

    /// What anyone may learn with the code and the last 4 digits of the applicant's id or phone:
    /// the status and the dates, never a name or a number. A wrong pair is "not found".
    public struct Tracking: Sendable, Equatable {
        public let code: String
        public let status: DossierStatus
        public let submittedAt: Date
        public let appointment: Date?
        public let finishedAt: Date?
    }

    public func track(_ code: String, lastFourDigits: String) async throws -> Tracking {
        guard let dossier = try await DossierRepository(database: database).find(code),
              dossier.applicant.matchesTrackingDigits(lastFourDigits)
        else { throw StoreError.notFound("dossier \(code)") }
        return Tracking(code: dossier.code, status: dossier.state.status, submittedAt: dossier.state.submittedAt,
                        appointment: dossier.state.appointment, finishedAt: dossier.state.finishedAt)
    }

    /// An officer's inbox, soonest step deadline first; `dueSoon` and `overdue` narrow it.
    public func inbox(for viewer: Viewer, overdueOnly: Bool = false, dueSoonOnly: Bool = false, procedureCode: String? = nil,
                      statuses: Set<DossierStatus>? = nil,
                      after: (deadlineMs: Int64, code: String)? = nil, limit: Int, now: Date = Date()) async throws -> [StoredDossier] {
        guard viewer.isOfficer else { return [] }
        return try await DossierRepository(database: database).inbox(
            agencies: viewer.agencies, statuses: statuses, procedureCode: procedureCode,
            deadlineBefore: deadlineBound(overdueOnly: overdueOnly, dueSoonOnly: dueSoonOnly, now: now), after: after, limit: limit)
    }

    /// The same page as `inbox`, as its list shows it (the row's columns, no documents decoded).
    public func inboxEntries(for viewer: Viewer, overdueOnly: Bool = false, dueSoonOnly: Bool = false, procedureCode: String? = nil,
                             statuses: Set<DossierStatus>? = nil, after: (deadlineMs: Int64, code: String)? = nil, limit: Int,
                             now: Date = Date()) async throws -> [InboxEntry] {
        guard viewer.isOfficer else { return [] }
        return try await DossierRepository(database: database).inboxEntries(
            agencies: viewer.agencies, statuses: statuses, procedureCode: procedureCode,
            deadlineBefore: deadlineBound(overdueOnly: overdueOnly, dueSoonOnly: dueSoonOnly, now: now), after: after, limit: limit)
    }

    /// Overdue: steps due before now; due soon: before now plus the due-soon window in working time.
    private func deadlineBound(overdueOnly: Bool, dueSoonOnly: Bool, now: Date) -> Date? {
        overdueOnly ? now : dueSoonOnly ? calendar.adding(workingSeconds: policy.dueSoonWorkingSeconds, to: now) : nil
    }

    static func maySee(_ dossier: StoredDossier, _ viewer: Viewer, in db: any SQLDatabase) async throws -> Bool {
        switch viewer.actor.role {
        case .citizen:
            return dossier.applicantAccount == viewer.actor.id
        case .intakeOfficer, .processingOfficer, .leader:
            // With one of their agencies now: no need to read the trail of where it has been.
            if viewer.agencies.contains(dossier.currentAgency) { return true }
            return !(try await DossierRepository.agencies(of: dossier.code, in: db)).isDisjoint(with: viewer.agencies)
        case .agencyAdmin, .systemAdmin:
            // Administrators manage accounts and the catalogue, not dossiers.
            return false
        }
    }

}
