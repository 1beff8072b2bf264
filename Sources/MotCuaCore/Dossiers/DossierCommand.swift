import Foundation

/// What people do to a dossier. Each is allowed only in some statuses and for some roles.
public enum DossierCommand: Hashable, Sendable {
    /// The intake officer accepts the dossier (form 01, the receipt with the appointment date).
    case accept
    /// Refuse to accept (form 03).
    case refuse(reason: String)
    /// Ask for missing papers (form 02); the clock stops.
    case requestSupplement(missing: [String], reason: String)
    /// The missing papers arrived; the clock resumes and the deadlines move by the paused time.
    case receiveSupplement
    /// The current step is done: the next step (possibly another agency or level) starts.
    case forward(note: String?)
    /// Back one step, with a reason.
    case sendBack(reason: String)
    /// Ask for a financial obligation (status 6); the clock stops.
    case requestPayment(amountVnd: Int, reason: String)
    /// A payment received; `online` when made through an online payment service (it counts
    /// towards the online-payment rate).
    case recordPayment(reference: String, online: Bool = false)
    /// The leader approves the result at the last step.
    case approve
    case markResultReady
    case returnResult
    /// Stop processing (form 05).
    case stop(reason: String)
    /// Withdrawn at the applicant's request.
    case withdraw(reason: String)
    /// A coming delay: an apology and one new appointment (form 04), before the appointment passes.
    case apologise(reason: String, newAppointment: Date)
    /// The applicant's satisfaction with a returned dossier, once.
    case rate(Rating)

    public var name: String {
        switch self {
        case .accept: return "accept"
        case .refuse: return "refuse"
        case .requestSupplement: return "request_supplement"
        case .receiveSupplement: return "receive_supplement"
        case .forward: return "forward"
        case .sendBack: return "send_back"
        case .requestPayment: return "request_payment"
        case .recordPayment: return "record_payment"
        case .approve: return "approve"
        case .markResultReady: return "mark_result_ready"
        case .returnResult: return "return_result"
        case .stop: return "stop"
        case .withdraw: return "withdraw"
        case .apologise: return "apologise"
        case .rate: return "rate"
        }
    }

    /// The statuses in which the command may be given.
    var allowedIn: Set<DossierStatus> {
        switch self {
        case .accept, .refuse: return [.submitted]
        case .requestSupplement: return [.submitted, .accepted, .processing]
        case .receiveSupplement: return [.supplementRequested]
        case .forward: return [.accepted, .processing]
        case .sendBack, .requestPayment: return [.processing]
        case .recordPayment: return [.paymentRequested]
        // A one-step process is approved straight from acceptance.
        case .approve, .markResultReady: return [.accepted, .processing]
        case .returnResult: return [.resultReady]
        case .stop: return [.accepted, .processing, .supplementRequested, .paymentRequested]
        case .withdraw: return [.submitted, .accepted, .processing, .supplementRequested, .paymentRequested]
        case .apologise: return [.accepted, .processing, .supplementRequested, .paymentRequested]
        case .rate: return [.returned]
        }
    }

    /// The roles that may give it (agency membership is checked by the service, not here).
    var allowedRoles: Set<DossierRole> {
        switch self {
        case .accept, .refuse, .returnResult: return [.intakeOfficer]
        case .requestSupplement: return [.intakeOfficer, .processingOfficer]
        case .receiveSupplement: return [.intakeOfficer, .citizen]
        case .forward, .sendBack: return [.intakeOfficer, .processingOfficer, .leader]
        case .requestPayment, .recordPayment, .markResultReady: return [.intakeOfficer, .processingOfficer]
        case .approve, .stop: return [.leader]
        case .withdraw: return [.citizen, .intakeOfficer]
        case .apologise: return [.processingOfficer, .leader]
        case .rate: return [.citizen]
        }
    }

    /// One of each command, to ask which are open to someone.
    static let samples: [DossierCommand] = [
        .accept, .refuse(reason: ""), .requestSupplement(missing: [], reason: ""), .receiveSupplement, .forward(note: nil),
        .sendBack(reason: ""), .requestPayment(amountVnd: 0, reason: ""), .recordPayment(reference: ""), .approve, .markResultReady,
        .returnResult, .stop(reason: ""), .withdraw(reason: ""), .apologise(reason: "", newAppointment: Date()),
        .rate(Rating(level: .satisfied)),
    ]

    /// The names of the commands a role may give a dossier as it stands, in the order of the life
    /// cycle (the rules of each command, a reason or a limit, are still checked when it is given).
    public static func available(to role: DossierRole, for state: DossierState, stepCount: Int) -> [String] {
        samples.filter { command in
            guard command.allowedIn.contains(state.status), command.allowedRoles.contains(role) else { return false }
            let step = state.stepIndex ?? -1
            switch command {
            case .forward: return step + 1 < stepCount
            case .sendBack: return step > 0
            case .approve: return step == stepCount - 1 && !state.approved
            case .markResultReady: return state.approved
            case .rate: return state.rating == nil
            default: return true
            }
        }.map(\.name)
    }
}

/// How satisfied the applicant was (the three levels of the national satisfaction survey).
public struct Rating: Codable, Hashable, Sendable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case verySatisfied = "very_satisfied", satisfied, notSatisfied = "not_satisfied"

        public var label: String {
            switch self {
            case .verySatisfied: return "Rất hài lòng"
            case .satisfied: return "Hài lòng"
            case .notSatisfied: return "Không hài lòng"
            }
        }
    }

    public let level: Level
    public let comment: String?

    public init(level: Level, comment: String? = nil) {
        self.level = level
        self.comment = comment
    }
}
