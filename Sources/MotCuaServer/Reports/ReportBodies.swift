import Foundation
import MotCuaCore
import MotCuaStore

/// A report's figures as JSON: the counts by name, then the rates (0–1) and durations.
struct FiguresBody: Encodable {
    let counts: [String: Int]
    let resolved: Int
    let inProgress: Int
    let onTimeRate: Double?
    let onlineRate: Double?
    let onlinePaymentRate: Double?
    let digitisedRate: Double?
    let satisfactionRate: Double?
    let averageWorkingDays: Double?
    let p90WorkingDays: Double?

    init(_ f: ReportFigures) {
        counts = f.named
        resolved = f.resolved
        inProgress = f.inProgress
        onTimeRate = f.onTimeShare
        onlineRate = f.onlineShare
        onlinePaymentRate = f.onlinePaymentShare
        digitisedRate = f.digitisedShare
        satisfactionRate = f.satisfactionShare
        averageWorkingDays = f.averageWorkingDays
        p90WorkingDays = f.p90WorkingDays
    }
}

struct ReportBody: Encodable {
    struct Row: Encodable {
        let key: String
        let name: String?
        let figures: FiguresBody
    }

    let from: String
    let to: String
    /// The day open dossiers are judged on.
    let snapshot: String
    let total: FiguresBody
    let rows: [Row]

    init(_ report: Report, names: [String: String]) {
        from = report.request.period.from.description
        to = report.request.period.to.description
        snapshot = report.snapshot.description
        total = FiguresBody(report.total)
        rows = report.rows.map { Row(key: $0.key, name: names[$0.key], figures: FiguresBody($0.figures)) }
    }
}

/// One dossier behind a figure: dates and outcome, never a name.
struct FactBody: Encodable {
    let code: String
    let agency: String
    let procedure: String
    let receivedDay: String?
    let dueDay: String?
    let closedDay: String?
    let outcome: String?

    init(_ fact: DossierFact) {
        code = fact.code
        agency = fact.agency
        procedure = fact.procedure
        receivedDay = fact.receivedDay?.description
        dueDay = fact.dueDay?.description
        closedDay = fact.closedDay?.description
        outcome = fact.outcome?.rawValue
    }
}

struct ServiceIndexBody: Encodable {
    struct AgencyScore: Encodable {
        let agency: String
        let name: String?
        let score: Score
    }

    struct Score: Encodable {
        let points: Double
        let maxPoints: Double
        let groups: [ServiceIndexScore.GroupScore]
        let groupPoints: [String: Double]
    }

    let name: String
    let note: String
    let from: String
    let to: String
    let total: Score
    let agencies: [AgencyScore]

    static func score(_ s: ServiceIndexScore, _ index: ServiceIndex) -> Score {
        Score(points: s.points, maxPoints: index.maxPoints, groups: s.groups,
              groupPoints: Dictionary(uniqueKeysWithValues: s.groups.map { ($0.id, $0.points) }))
    }
}
