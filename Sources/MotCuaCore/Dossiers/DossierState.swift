import Foundation

/// Where a dossier stands: its status, its clock and its place in the internal process.
/// Changed only by `DossierMachine`, which also says what happened (the event to append).
public struct DossierState: Codable, Hashable, Sendable {
    public var status: DossierStatus
    public var channel: Procedure.Channel
    /// The process version the dossier runs on, fixed at submission.
    public var processVersion: Int
    public var submittedAt: Date
    public var acceptedAt: Date?
    /// When the working-time clock started (after the cut-off rule).
    public var countingFrom: Date?
    /// The overall deadline: moved only by paused time and by an apology.
    public var appointment: Date?
    public var originalAppointment: Date?
    /// The statutory due instant: the first appointment moved by paused time only. An apology
    /// gives the applicant a new date but does not make a late dossier on time in the reports.
    public var statutoryDue: Date?
    public var stepIndex: Int?
    public var stepStartedAt: Date?
    public var stepDeadline: Date?
    /// Set while the clock is stopped (supplement or payment awaited).
    public var pausedSince: Date?
    /// The status to go back to when the clock resumes.
    public var resumeStatus: DossierStatus?
    public var pauses: [DateInterval] = []
    public var supplementRequests = 0
    public var missingDocuments: [String] = []
    public var apologies = 0
    public var approved = false
    public var paymentDueVnd: Int?
    /// Whether a financial obligation was ever asked for or fixed at submission.
    public var paymentRequested: Bool?
    /// The payment was made through an online payment service.
    public var paidOnline: Bool?
    public var finishedAt: Date?
    /// Fees and charges due, fixed at submission.
    public var fees: [FeeLine]?
    /// The applicant's rating once the result was returned.
    public var rating: Rating?

    public var feesDueVnd: Int { (fees ?? []).reduce(0) { $0 + $1.amountVnd } }

    public init(channel: Procedure.Channel, processVersion: Int, submittedAt: Date) {
        self.status = .submitted
        self.channel = channel
        self.processVersion = processVersion
        self.submittedAt = submittedAt
    }
}

/// One thing that happened, appended to the dossier's history in the same transaction as the new state.
public struct DossierEvent: Codable, Hashable, Sendable {
    public let command: String
    public let actor: DossierActor
    public let at: Date
    public let fromStatus: DossierStatus?
    public let toStatus: DossierStatus
    public let reason: String?
    /// What changed, as text: `appointment`, `step`, `missing`, `amountVnd`…
    public let data: [String: String]

    public init(command: String, actor: DossierActor, at: Date, fromStatus: DossierStatus?, toStatus: DossierStatus,
                reason: String?, data: [String: String]) {
        self.command = command
        self.actor = actor
        self.at = at
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.reason = reason
        self.data = data
    }
}

/// A refused command: a stable code and a Vietnamese message; the dossier is unchanged.
public struct DossierError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Where a dossier or a step stands against its deadline.
public enum TimeStatus: String, Codable, Sendable {
    case onSchedule = "on_schedule", dueSoon = "due_soon", overdue
    case early, onTime = "on_time", late

    /// Running: overdue past the deadline, due soon within `dueSoon` working seconds of it.
    /// Finished: early on an earlier day than the deadline, on time up to it, late after.
    /// While the clock is stopped, time is judged as it stood when it stopped.
    public static func of(deadline: Date, finishedAt: Date?, pausedSince: Date?, now: Date,
                          calendar: WorkingCalendar, dueSoonWorkingSeconds: Double) -> TimeStatus {
        if let finishedAt {
            if WorkingCalendar.local(finishedAt).0 < WorkingCalendar.local(deadline).0 { return .early }
            return finishedAt <= deadline ? .onTime : .late
        }
        let effectiveNow = pausedSince ?? now
        if effectiveNow > deadline { return .overdue }
        return calendar.workingSeconds(from: effectiveNow, to: deadline) <= dueSoonWorkingSeconds ? .dueSoon : .onSchedule
    }
}

/// One fee the applicant owes for the dossier, fixed at submission from the procedure's fees.
public struct FeeLine: Codable, Hashable, Sendable {
    public let name: String
    /// The row of a fee table that applies, as the catalogue words it.
    public let item: String?
    public let amountVnd: Int

    public init(name: String, item: String? = nil, amountVnd: Int) {
        self.name = name
        self.item = item
        self.amountVnd = amountVnd
    }
}

extension Procedure {
    /// The fees due: every fixed amount, and for a fee given as a table the row the applicant
    /// chose (`choices[fee name]`, counting from 0). A table fee with no choice is left for the
    /// intake officer to settle with a payment request; a choice that does not exist is an issue.
    public func feesDue(choices: [String: Int]) throws -> [FeeLine] {
        var v = Validator()
        var lines: [FeeLine] = []
        for fee in fees {
            if let amount = fee.amountVnd {
                lines.append(FeeLine(name: fee.name, amountVnd: amount))
            } else if let table = fee.table, !table.isEmpty {
                guard let index = choices[fee.name] else { continue }
                if table.indices.contains(index) {
                    lines.append(FeeLine(name: fee.name, item: table[index].description, amountVnd: table[index].amountVnd))
                } else {
                    v.add("feeChoices.\(fee.name)", "range", "Chọn mức \(fee.name): 0–\(table.count - 1)")
                }
            }
        }
        for name in choices.keys where !fees.contains(where: { $0.name == name && $0.table != nil }) {
            v.add("feeChoices.\(name)", "unknown", "Thủ tục không có khoản phí, lệ phí theo bảng tên này")
        }
        try v.check()
        return lines
    }
}
