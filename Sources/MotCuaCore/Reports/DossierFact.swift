import Foundation

/// One dossier as the reports see it: the days that matter and how it ended. Derived from the
/// dossier's state and history only, so it can always be rebuilt from them; the rollups are the
/// sum of every fact's contributions.
public struct DossierFact: Codable, Hashable, Sendable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case early, onTime = "on_time", late, refused, withdrawn, stopped

        public var isResolved: Bool { self == .early || self == .onTime || self == .late }
    }

    public enum Online: String, Codable, Sendable {
        case full, partial
    }

    public let code: String
    /// The receiving agency: a dossier counts for the agency that answers to the applicant.
    public let agency: String
    public let procedure: String
    /// The officer holding it (at the end, the one who finished it).
    public var officer: String?

    // From the history (each event adds to these).
    /// The day the first supplement was asked for.
    public var supplementDay: CivilDate?
    /// The day the applicant rated the result.
    public var ratedDay: CivilDate?

    // From the current state (recomputed on every change).
    /// The day the receipt was issued (acceptance); nil while not accepted.
    public var receivedDay: CivilDate?
    /// The day it ended: result ready, refused, withdrawn or stopped.
    public var closedDay: CivilDate?
    public var outcome: Outcome?
    /// The day of the statutory due instant (moved by paused time, not by an apology).
    public var dueDay: CivilDate?
    /// Whether, on its due day, it will have been (or was) still open past the due instant.
    public var overdue = false
    public var online: Online?
    public var feePayable = false
    public var paidOnline = false
    /// Its papers are held as files (set when the first file is attached).
    public var digitised = false
    public var apologised = false
    public var satisfied = false
    /// Working minutes from the start of counting to the result, paused time left out.
    public var processingMinutes: Int?

    public init(code: String, agency: String, procedure: String, officer: String? = nil) {
        self.code = code
        self.agency = agency
        self.procedure = procedure
        self.officer = officer
    }

    /// Takes in what an event tells that the state does not keep.
    public mutating func record(_ event: DossierEvent) {
        switch event.command {
        case "request_supplement": supplementDay = supplementDay ?? CivilDate.of(event.at)
        case "rate": ratedDay = CivilDate.of(event.at)
        default: break
        }
    }

    /// Recomputes everything the state decides.
    public mutating func update(from state: DossierState, onlineLevel: Procedure.OnlineLevel, officer: String?,
                                calendar: WorkingCalendar) {
        self.officer = officer
        receivedDay = state.acceptedAt.map(CivilDate.of)
        online = state.channel != .online ? nil : onlineLevel == .full ? .full : .partial
        feePayable = state.feesDueVnd > 0 || state.paymentRequested == true
        paidOnline = state.paidOnline == true
        apologised = state.apologies > 0
        satisfied = state.rating.map { $0.level != .notSatisfied } ?? false
        closedDay = state.finishedAt.map(CivilDate.of)
        let due = state.statutoryDue ?? state.appointment
        dueDay = due.map(CivilDate.of)
        outcome = Self.outcome(state, due: due)
        overdue = Self.overdue(state, due: due)
        processingMinutes = nil
        if outcome?.isResolved == true, let start = state.countingFrom ?? state.acceptedAt, let end = state.finishedAt {
            processingMinutes = Int((calendar.workingSeconds(from: start, to: end, pausing: state.pauses) / 60).rounded())
        }
    }

    static func outcome(_ state: DossierState, due: Date?) -> Outcome? {
        switch state.status {
        case .refused: return .refused
        case .withdrawn: return .withdrawn
        case .stopped: return .stopped
        case .resultReady, .returned:
            guard let finished = state.finishedAt, let due else { return .onTime }
            if CivilDate.of(finished) < CivilDate.of(due) { return .early }
            return finished <= due ? .onTime : .late
        default: return nil
        }
    }

    /// Open dossiers count as overdue from their due day on (a report for a later day sees them so);
    /// one that ended counts only if it ended after the due instant. While the clock is stopped
    /// the due instant has not come yet, unless it had passed when the clock stopped.
    static func overdue(_ state: DossierState, due: Date?) -> Bool {
        guard state.acceptedAt != nil, let due else { return false }
        if let finished = state.finishedAt {
            // Stopped or withdrawn while the clock was stopped: judged when the clock stopped.
            if [.stopped, .withdrawn].contains(state.status), let last = state.pauses.last, last.end == finished {
                return last.start > due
            }
            return finished > due
        }
        if let paused = state.pausedSince { return paused > due }
        return true
    }
}
