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

    /// What a submission carries besides the applicant.
    public struct Submission: Sendable {
        public var procedureCode: String
        public var channel: Procedure.Channel
        public var receivingAgency: String
        public var applicant: Applicant
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
    }

    /// A new dossier on the procedure's latest process version, received by `agency`.
    public func submit(procedureCode: String, channel: Procedure.Channel, receivingAgency agency: String, applicant: Applicant,
                       by viewer: Viewer, at now: Date = Date()) async throws -> StoredDossier {
        let submission = Submission(procedureCode: procedureCode, channel: channel, receivingAgency: agency, applicant: applicant)
        return try await database.transaction { db in try await self.submit(submission, by: viewer, at: now, in: db) }
    }

    /// Submits inside the caller's transaction (which also records an idempotency key).
    public func submit(_ submission: Submission, by viewer: Viewer, at now: Date = Date(), in db: any SQLDatabase) async throws -> StoredDossier {
        let applicant = try submission.applicant.validated(currentYear: WorkingCalendar.local(now).0.year)
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
              let province = try await db.cached("agencies.unit", [agency], { db, v in
                  db.select().column("unit_code").column("unit_scheme").from("agencies").where("code", .equal, v[0]).limit(1)
              }).first()
        else { throw DossierError("dossier.agency_not_receiving", "Cơ quan \(agency) không tiếp nhận thủ tục này") }
        let unitCode = try province.decode(column: "unit_code", as: String.self)
        let provinceCode = try await Self.provinceCode(of: unitCode, scheme: try province.decode(column: "unit_scheme", as: String.self), in: db)
        let context = DossierContext(process: process, timeLimit: procedure.timeLimit, calendar: calendar, policy: policy)
        var (state, event) = try DossierMachine.submit(channel: submission.channel, by: viewer.actor, at: now, context: context)
        state.fees = try procedure.feesDue(choices: submission.feeChoices)
        let officer = viewer.isOfficer ? viewer.actor.id : nil
        let dossier = try await DossierRepository.create(
            procedureCode: submission.procedureCode, receivingAgency: agency, provinceCode: provinceCode,
            applicantAccount: viewer.actor.role == .citizen ? viewer.actor.id : nil,
            applicant: applicant, state: state, event: event, responsibleOfficer: officer, in: db)
        try await OutboxRepository.enqueue(code: dossier.code, sequence: 1, event: event, state: state, applicant: applicant,
                                           channels: notificationChannels, in: db)
        let fact = Self.newFact(of: dossier, createdBy: event)
        if submission.acceptNow {
            // Accepted in the same transaction: the fact and its rollups are written once, as accepted.
            return try await apply(.accept, to: dossier, by: viewer, at: now, in: db, procedure: stored, unsavedFact: fact)
        }
        try await recordFact(of: dossier, after: nil, onlineLevel: procedure.onlineLevel, unsaved: fact, in: db)
        return dossier
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
            guard let dossier = try await DossierRepository.find(code, in: db),
                  try await Self.maySee(dossier, viewer, in: db)
            else { throw StoreError.notFound("dossier \(code)") }
            guard dossier.version == expectedVersion else { throw StoreError.staleVersion(current: dossier.version) }
            return try await self.apply(command, to: dossier, by: viewer, at: now, in: db)
        }
    }

    /// `procedure`: the dossier's procedure when the caller has just read it (the same transaction);
    /// `unsavedFact`: the fact of a dossier created in this transaction and not written yet.
    func apply(_ command: DossierCommand, to dossier: StoredDossier, by viewer: Viewer, at now: Date,
               in db: any SQLDatabase, procedure known: StoredProcedure? = nil, unsavedFact: DossierFact? = nil) async throws -> StoredDossier {
        if viewer.isOfficer, !viewer.agencies.contains(dossier.currentAgency) {
            throw DossierError("auth.forbidden", "Hồ sơ đang ở cơ quan khác")
        }
        var found = known?.document.procedure.code == dossier.procedureCode ? known : nil
        if found == nil { found = try await procedures.find(dossier.procedureCode, in: db) }
        guard let procedure = found,
              let process = procedure.document.processes.first(where: { $0.version == dossier.processVersion })
        else { throw StoreError.notFound("process \(dossier.procedureCode) v\(dossier.processVersion)") }
        let context = DossierContext(process: process, timeLimit: procedure.document.procedure.timeLimit, calendar: calendar, policy: policy)
        let (state, event) = try DossierMachine.apply(command, to: dossier.state, by: viewer.actor, at: now, context: context)
        let currentAgency = state.stepIndex.flatMap { process.steps[$0].agency } ?? dossier.receivingAgency
        // Whoever last worked on it at this agency holds it; a hand-off leaves it unassigned, and
        // a leader's approval does not take it over.
        // Once the result is ready, handing it back is not processing: the one who finished keeps it.
        let officer: String? = currentAgency != dossier.currentAgency ? nil
            : dossier.state.finishedAt != nil ? dossier.responsibleOfficer
            : [.intakeOfficer, .processingOfficer].contains(viewer.actor.role) ? viewer.actor.id : dossier.responsibleOfficer
        let version = try await DossierRepository.update(dossier.code, expectedVersion: dossier.version, state: state,
                                                         currentAgency: currentAgency, responsibleOfficer: officer, event: event, in: db)
        try await OutboxRepository.enqueue(code: dossier.code, sequence: version, event: event, state: state, applicant: dossier.applicant,
                                           channels: notificationChannels, in: db)
        let updated = StoredDossier(code: dossier.code, procedureCode: dossier.procedureCode, processVersion: dossier.processVersion,
                                    receivingAgency: dossier.receivingAgency, currentAgency: currentAgency,
                                    provinceCode: dossier.provinceCode, applicantAccount: dossier.applicantAccount,
                                    applicant: dossier.applicant, state: state, version: version, responsibleOfficer: officer)
        try await recordFact(of: updated, after: event, onlineLevel: procedure.document.procedure.onlineLevel, unsaved: unsavedFact, in: db)
        return updated
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
        let before: Date? = overdueOnly ? now
            : dueSoonOnly ? calendar.adding(workingSeconds: policy.dueSoonWorkingSeconds, to: now) : nil
        return try await DossierRepository(database: database).inbox(
            agencies: viewer.agencies, statuses: statuses, procedureCode: procedureCode, deadlineBefore: before, after: after, limit: limit)
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

    static func provinceCode(of unitCode: String, scheme: String, in db: any SQLDatabase) async throws -> String {
        try await db.cached("admin_units.province", [scheme, unitCode]) { db, v in
            db.select().column("province_code").from("admin_units").where("scheme", .equal, v[0]).where("code", .equal, v[1]).limit(1)
        }.first(decodingColumn: "province_code", as: String.self) ?? String(unitCode.prefix(2))
    }
}
