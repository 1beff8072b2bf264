import Foundation

/// What a rollup row counts, each a column of the rollup table (the raw value is its name).
/// Each is counted on one day of the dossier's life: the day it was received, ended, fell due,
/// was sent for supplement or was rated.
public enum ReportCounter: String, CaseIterable, Codable, Sendable {
    case received
    case receivedOnlineFull = "received_online_full"
    case receivedOnlinePartial = "received_online_partial"
    case feePayable = "fee_payable"
    case paidOnline = "paid_online"
    case digitised
    /// Received dossiers that ended (with a result, or stopped or withdrawn after acceptance).
    case closed
    case resolvedEarly = "resolved_early"
    case resolvedOnTime = "resolved_on_time"
    case resolvedLate = "resolved_late"
    case lateApologised = "late_apologised"
    case refused
    case withdrawn
    case stopped
    case supplementRequested = "supplement_requested"
    /// On the due day of a dossier still open then; and on the day such a dossier ended.
    case overdueStarted = "overdue_started"
    case overdueEnded = "overdue_ended"
    case rated
    case satisfied
    /// Working minutes of resolved dossiers, for the average.
    case processingMinutes = "processing_minutes"
}

/// One count a fact adds to the rollup row of a day (agency and procedure are the fact's).
public struct Contribution: Hashable, Sendable {
    public let day: CivilDate
    public let counter: ReportCounter
    public let amount: Int
}

extension DossierFact {
    /// The width of a processing-time histogram bucket: half a working day (one session).
    public static let bucketMinutes = 240

    /// The histogram bucket of a resolved dossier: 0 for no working time, else the number of
    /// half-days begun.
    public var durationBucket: Int? {
        processingMinutes.map { ($0 + Self.bucketMinutes - 1) / Self.bucketMinutes }
    }

    /// Everything this fact adds to the rollups. The rollups are exactly the sum of these over all
    /// facts; a change of fact takes its old contributions off and puts the new ones on.
    public var contributions: [Contribution] {
        var out: [Contribution] = []
        func add(_ day: CivilDate?, _ counter: ReportCounter, _ amount: Int = 1, if condition: Bool = true) {
            if let day, condition, amount != 0 { out.append(Contribution(day: day, counter: counter, amount: amount)) }
        }
        add(receivedDay, .received)
        add(receivedDay, .receivedOnlineFull, if: online == .full)
        add(receivedDay, .receivedOnlinePartial, if: online == .partial)
        add(receivedDay, .feePayable, if: feePayable)
        add(receivedDay, .paidOnline, if: feePayable && paidOnline)
        add(receivedDay, .digitised, if: digitised)
        add(closedDay, .closed, if: receivedDay != nil)
        if let outcome {
            let counter: ReportCounter = switch outcome {
            case .early: .resolvedEarly
            case .onTime: .resolvedOnTime
            case .late: .resolvedLate
            case .refused: .refused
            case .withdrawn: .withdrawn
            case .stopped: .stopped
            }
            // A dossier withdrawn before it was received never entered the table's balance.
            add(closedDay, counter, if: receivedDay != nil || outcome == .refused)
            add(closedDay, .lateApologised, if: outcome == .late && apologised)
            if outcome.isResolved { add(closedDay, .processingMinutes, processingMinutes ?? 0) }
        }
        add(dueDay, .overdueStarted, if: overdue)
        add(closedDay, .overdueEnded, if: overdue)
        add(supplementDay, .supplementRequested)
        add(ratedDay, .rated)
        add(ratedDay, .satisfied, if: satisfied)
        return out
    }
}
