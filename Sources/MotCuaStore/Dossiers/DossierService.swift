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

    var isOfficer: Bool { [.intakeOfficer, .processingOfficer, .leader].contains(actor.role) }
}

/// The dossier use cases: access is decided here, not by routes. A citizen sees and acts on their
/// own dossiers only; an officer sees a dossier while it is, or once was, with one of their
/// agencies, and acts on it only while it is with one of them. Anything else is "not found", so
/// that nobody learns a dossier exists.
public struct DossierService: Sendable {
    public let database: Database
    public let calendar: WorkingCalendar
    public let policy: DossierPolicy

    public init(database: Database, calendar: WorkingCalendar, policy: DossierPolicy = DossierPolicy()) {
        self.database = database
        self.calendar = calendar
        self.policy = policy
    }

    /// A new dossier on the procedure's latest process version, received by `agency`.
    public func submit(procedureCode: String, channel: Procedure.Channel, receivingAgency agency: String, applicant: Applicant,
                       by viewer: Viewer, at now: Date = Date()) async throws -> StoredDossier {
        let applicant = try applicant.validated(currentYear: WorkingCalendar.local(now).0.year)
        if viewer.isOfficer, !viewer.agencies.contains(agency) {
            throw DossierError("auth.forbidden", "Cán bộ chỉ nhận hồ sơ cho cơ quan của mình")
        }
        return try await database.transaction { db in
            guard let stored = try await CatalogueRepository.find(procedureCode, in: db),
                  stored.document.procedure.status == .published, let process = stored.document.processes.last
            else { throw StoreError.notFound("procedure \(procedureCode)") }
            let procedure = stored.document.procedure
            guard procedure.channels.contains(channel) else {
                throw DossierError("dossier.channel_not_accepted", "Thủ tục không nhận hồ sơ qua kênh \(channel.rawValue)")
            }
            guard procedure.receivingAgencies.contains(agency),
                  let province = try await db.select().column("unit_code").column("unit_scheme").from("agencies")
                      .where("code", .equal, agency).first()
            else { throw DossierError("dossier.agency_not_receiving", "Cơ quan \(agency) không tiếp nhận thủ tục này") }
            let unitCode = try province.decode(column: "unit_code", as: String.self)
            let provinceCode = try await Self.provinceCode(of: unitCode, scheme: try province.decode(column: "unit_scheme", as: String.self), in: db)
            let context = DossierContext(process: process, timeLimit: procedure.timeLimit, calendar: calendar, policy: policy)
            let (state, event) = try DossierMachine.submit(channel: channel, by: viewer.actor, at: now, context: context)
            return try await DossierRepository.create(
                procedureCode: procedureCode, receivingAgency: agency, provinceCode: provinceCode,
                applicantAccount: viewer.actor.role == .citizen ? viewer.actor.id : nil,
                applicant: applicant, state: state, event: event, in: db)
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

    /// Gives a command at the version the viewer read; the new state and its event are written
    /// together, or nothing is.
    public func act(_ command: DossierCommand, on code: String, expectedVersion: Int, by viewer: Viewer,
                    at now: Date = Date()) async throws -> StoredDossier {
        try await database.transaction { db in
            guard let dossier = try await DossierRepository.find(code, in: db),
                  try await Self.maySee(dossier, viewer, in: db)
            else { throw StoreError.notFound("dossier \(code)") }
            if viewer.isOfficer, !viewer.agencies.contains(dossier.currentAgency) {
                throw DossierError("auth.forbidden", "Hồ sơ đang ở cơ quan khác")
            }
            guard dossier.version == expectedVersion else { throw StoreError.staleVersion(current: dossier.version) }
            guard let procedure = try await CatalogueRepository.find(dossier.procedureCode, in: db),
                  let process = procedure.document.processes.first(where: { $0.version == dossier.processVersion })
            else { throw StoreError.notFound("process \(dossier.procedureCode) v\(dossier.processVersion)") }
            let context = DossierContext(process: process, timeLimit: procedure.document.procedure.timeLimit, calendar: calendar, policy: policy)
            let (state, event) = try DossierMachine.apply(command, to: dossier.state, by: viewer.actor, at: now, context: context)
            let currentAgency = state.stepIndex.flatMap { process.steps[$0].agency } ?? dossier.receivingAgency
            let version = try await DossierRepository.update(code, expectedVersion: expectedVersion, state: state,
                                                             currentAgency: currentAgency, event: event, in: db)
            return StoredDossier(code: code, procedureCode: dossier.procedureCode, processVersion: dossier.processVersion,
                                 receivingAgency: dossier.receivingAgency, currentAgency: currentAgency,
                                 provinceCode: dossier.provinceCode, applicantAccount: dossier.applicantAccount,
                                 applicant: dossier.applicant, state: state, version: version)
        }
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
                      after: (deadlineMs: Int64, code: String)? = nil, limit: Int, now: Date = Date()) async throws -> [StoredDossier] {
        guard viewer.isOfficer else { return [] }
        let before: Date? = overdueOnly ? now
            : dueSoonOnly ? calendar.adding(workingSeconds: policy.dueSoonWorkingSeconds, to: now) : nil
        return try await DossierRepository(database: database).inbox(
            agencies: viewer.agencies, procedureCode: procedureCode, deadlineBefore: before, after: after, limit: limit)
    }

    static func maySee(_ dossier: StoredDossier, _ viewer: Viewer, in db: any SQLDatabase) async throws -> Bool {
        switch viewer.actor.role {
        case .citizen:
            return dossier.applicantAccount == viewer.actor.id
        case .intakeOfficer, .processingOfficer, .leader:
            return !(try await DossierRepository.agencies(of: dossier.code, in: db)).isDisjoint(with: viewer.agencies)
        case .agencyAdmin, .systemAdmin:
            // Administrators manage accounts and the catalogue, not dossiers.
            return false
        }
    }

    static func provinceCode(of unitCode: String, scheme: String, in db: any SQLDatabase) async throws -> String {
        try await db.select().column("province_code").from("admin_units")
            .where("scheme", .equal, scheme).where("code", .equal, unitCode)
            .first(decodingColumn: "province_code", as: String.self) ?? String(unitCode.prefix(2))
    }
}
