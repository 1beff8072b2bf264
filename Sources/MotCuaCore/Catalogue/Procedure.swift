/// An administrative procedure (thủ tục hành chính) as the catalogue publishes it.
public struct Procedure: Codable, Hashable, Sendable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case province, commune
        /// Before 1 July 2025 only.
        case district
    }

    public enum OnlineLevel: String, Codable, Sendable, CaseIterable {
        /// Toàn trình: every step and the result online (or by post).
        case full
        /// Một phần.
        case partial
        case none
    }

    public enum ResultType: String, Codable, Sendable, CaseIterable {
        case certificate, licence, decision, confirmation, extract, other
    }

    public enum Channel: String, Codable, Sendable, CaseIterable {
        case counter, online, post
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case draft, published, retired
    }

    /// The national procedure code, e.g. `1.001193`.
    public var code: String
    public var name: String
    public var description: String?
    /// Field or sector (lĩnh vực), e.g. "Hộ tịch".
    public var field: String
    public var level: Level
    public var receivingAgencies: [String]
    public var decidingAgencies: [String]
    public var legalBasis: [String]
    public var documents: [RequiredDocument]
    public var fees: [Fee]
    public var timeLimit: TimeLimit
    public var onlineLevel: OnlineLevel
    public var resultType: ResultType
    public var channels: [Channel]
    public var status: Status
    public var validFrom: CivilDate?
    public var validTo: CivilDate?
}

public struct RequiredDocument: Codable, Hashable, Sendable {
    public enum Form: String, Codable, Sendable, CaseIterable {
        case original, copy, certifiedCopy, originalOrCopy
    }

    public enum Requirement: String, Codable, Sendable, CaseIterable {
        case mandatory, conditional
    }

    public var name: String
    public var form: Form
    public var copies: Int
    public var requirement: Requirement
    /// When a conditional document is needed.
    public var condition: String?
    public var templateFile: String?
}

/// A fee or charge: a fixed amount, or a table of amounts by case. Integer đồng.
public struct Fee: Codable, Hashable, Sendable {
    public struct Row: Codable, Hashable, Sendable {
        public var description: String
        public var amountVnd: Int
    }

    public var name: String
    public var amountVnd: Int?
    public var table: [Row]?
    public var note: String?
}

/// The statutory time limit, in working days or working hours (exactly one).
public struct TimeLimit: Codable, Hashable, Sendable {
    public var workingDays: Int?
    public var workingHours: Int?

    public static func days(_ days: Int) -> TimeLimit { TimeLimit(workingDays: days, workingHours: nil) }
    public static func hours(_ hours: Int) -> TimeLimit { TimeLimit(workingDays: nil, workingHours: hours) }

    /// Statutory days are civil-service days of 8 working hours.
    public static let hoursPerDay = 8.0

    public var totalWorkingHours: Double {
        if let workingHours { return Double(workingHours) }
        return Double(workingDays ?? 0) * TimeLimit.hoursPerDay
    }
}
