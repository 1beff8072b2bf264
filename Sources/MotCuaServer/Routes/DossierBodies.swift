import Foundation
import MotCuaCore
import MotCuaStore

/// A dossier as the API shows it to those allowed to see it.
struct DossierBody: Encodable, Sendable {
    struct Step: Encodable, Sendable {
        let number: Int
        let name: String
        let agency: String
        let deadline: String?
        let timeStatus: String?
    }

    let code: String
    let procedureCode: String
    let processVersion: Int
    let channel: String
    let status: Int
    let statusLabel: String
    let receivingAgency: String
    let currentAgency: String
    let responsibleOfficer: String?
    let applicant: Applicant
    let submittedAt: String
    let acceptedAt: String?
    let appointment: String?
    let originalAppointment: String?
    let timeStatus: String?
    let step: Step?
    let clockStoppedSince: String?
    let missingDocuments: [String]?
    let supplementRequests: Int
    let apologies: Int
    let approved: Bool
    let fees: [FeeLine]?
    let feesDueVnd: Int
    let paymentDueVnd: Int?
    let finishedAt: String?
    let rating: Rating?
    let version: Int

    init(_ dossier: StoredDossier, process: ProcessVersion?, service: DossierService, now: Date = Date()) {
        let state = dossier.state
        func judge(_ deadline: Date?) -> String? { service.judge(deadline, of: state, now: now)?.rawValue }
        code = dossier.code
        procedureCode = dossier.procedureCode
        processVersion = dossier.processVersion
        channel = state.channel.rawValue
        status = state.status.rawValue
        statusLabel = state.status.label
        receivingAgency = dossier.receivingAgency
        currentAgency = dossier.currentAgency
        responsibleOfficer = dossier.responsibleOfficer
        applicant = dossier.applicant
        submittedAt = WorkingCalendar.iso8601(state.submittedAt)
        acceptedAt = state.acceptedAt.map(WorkingCalendar.iso8601)
        appointment = state.appointment.map(WorkingCalendar.iso8601)
        originalAppointment = state.originalAppointment.map(WorkingCalendar.iso8601)
        timeStatus = judge(state.appointment)
        if let index = state.stepIndex, let process, process.steps.indices.contains(index), state.finishedAt == nil {
            let processStep = process.steps[index]
            step = Step(number: index + 1, name: processStep.name, agency: processStep.agency ?? dossier.receivingAgency,
                        deadline: state.stepDeadline.map(WorkingCalendar.iso8601), timeStatus: judge(state.stepDeadline))
        } else {
            step = nil
        }
        clockStoppedSince = state.pausedSince.map(WorkingCalendar.iso8601)
        missingDocuments = state.missingDocuments.isEmpty ? nil : state.missingDocuments
        supplementRequests = state.supplementRequests
        apologies = state.apologies
        approved = state.approved
        fees = state.fees
        feesDueVnd = state.feesDueVnd
        paymentDueVnd = state.paymentDueVnd
        finishedAt = state.finishedAt.map(WorkingCalendar.iso8601)
        rating = state.rating
        version = dossier.version
    }
}

extension DossierBody: JSONTextWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("acceptedAt", acceptedAt)
            json.field("apologies", apologies)
            json.field("applicant", applicant)
            json.field("appointment", appointment)
            json.field("approved", approved)
            json.field("channel", channel)
            json.field("clockStoppedSince", clockStoppedSince)
            json.field("code", code)
            json.field("currentAgency", currentAgency)
            json.field("fees", fees)
            json.field("feesDueVnd", feesDueVnd)
            json.field("finishedAt", finishedAt)
            json.field("missingDocuments", missingDocuments)
            json.field("originalAppointment", originalAppointment)
            json.field("paymentDueVnd", paymentDueVnd)
            json.field("procedureCode", procedureCode)
            json.field("processVersion", processVersion)
            json.field("rating", rating)
            json.field("receivingAgency", receivingAgency)
            json.field("responsibleOfficer", responsibleOfficer)
            json.field("status", status)
            json.field("statusLabel", statusLabel)
            json.field("step", step)
            json.field("submittedAt", submittedAt)
            json.field("supplementRequests", supplementRequests)
            json.field("timeStatus", timeStatus)
            json.field("version", version)
        }
    }
}

extension DossierBody.Step: JSONTextWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("agency", agency)
            json.field("deadline", deadline)
            json.field("name", name)
            json.field("number", number)
            json.field("timeStatus", timeStatus)
        }
    }
}

/// One entry of the history.
struct EventBody: Encodable, Sendable {
    let sequence: Int
    let command: String
    let actorId: String
    let actorRole: String
    let at: String
    let fromStatus: Int?
    let toStatus: Int
    let toStatusLabel: String
    let reason: String?
    let data: [String: String]

    init(_ event: DossierEvent, sequence: Int) {
        self.sequence = sequence
        command = event.command
        actorId = event.actor.id
        actorRole = event.actor.role.rawValue
        at = WorkingCalendar.iso8601(event.at)
        fromStatus = event.fromStatus?.rawValue
        toStatus = event.toStatus.rawValue
        toStatusLabel = event.toStatus.label
        reason = event.reason
        data = event.data
    }
}

/// What public tracking shows: status and dates, nothing about the person.
struct TrackingBody: Encodable, Sendable {
    let code: String
    let status: Int
    let statusLabel: String
    let submittedAt: String
    let appointment: String?
    let finishedAt: String?

    init(_ tracking: DossierService.Tracking) {
        code = tracking.code
        status = tracking.status.rawValue
        statusLabel = tracking.status.label
        submittedAt = WorkingCalendar.iso8601(tracking.submittedAt)
        appointment = tracking.appointment.map(WorkingCalendar.iso8601)
        finishedAt = tracking.finishedAt.map(WorkingCalendar.iso8601)
    }
}

/// A short line of a list (inbox, my dossiers, a leader's watch).
struct DossierSummary: Encodable, Sendable {
    let code: String
    let procedureCode: String
    let status: Int
    let statusLabel: String
    let currentAgency: String
    let responsibleOfficer: String?
    let appointment: String?
    let stepDeadline: String?
    let version: Int
}

extension DossierSummary {
    init(_ dossier: StoredDossier) {
        code = dossier.code
        procedureCode = dossier.procedureCode
        status = dossier.state.status.rawValue
        statusLabel = dossier.state.status.label
        currentAgency = dossier.currentAgency
        responsibleOfficer = dossier.responsibleOfficer
        appointment = dossier.state.appointment.map(WorkingCalendar.iso8601)
        stepDeadline = dossier.state.stepDeadline.map(WorkingCalendar.iso8601)
        version = dossier.version
    }
    init(_ entry: InboxEntry) {
        code = entry.code
        procedureCode = entry.procedureCode
        status = entry.status.rawValue
        statusLabel = entry.status.label
        currentAgency = entry.currentAgency
        responsibleOfficer = entry.responsibleOfficer
        appointment = entry.appointment.map(WorkingCalendar.iso8601)
        stepDeadline = entry.stepDeadline.map(WorkingCalendar.iso8601)
        version = entry.version
    }
}

extension DossierSummary: JSONTextWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("appointment", appointment)
            json.field("code", code)
            json.field("currentAgency", currentAgency)
            json.field("procedureCode", procedureCode)
            json.field("responsibleOfficer", responsibleOfficer)
            json.field("status", status)
            json.field("statusLabel", statusLabel)
            json.field("stepDeadline", stepDeadline)
            json.field("version", version)
        }
    }
}

/// The `code` of a dossier's body as `DossierBody` writes it: for a retry's `Location`, and the
/// bench clients that follow new dossiers.
public enum CreatedDossier {
    /// Read by `JSONReader` (the body's keys are sorted), or by `JSONDecoder` where it gives up;
    /// nil when the body has no top-level code.
    public static func code(in body: String) -> String? {
        let read = JSONReader.read(body) { reader -> String? in
            var code: String?
            try reader.object { reader, key in
                if key == "code" { code = try reader.string() } else { try reader.skip() }
            }
            return code
        }
        if let read, let code = read { return code }
        return (try? JSONCoding.decoder.decode(Code.self, from: Data(body.utf8)))?.code
    }

    private struct Code: Decodable {
        let code: String
    }
}
