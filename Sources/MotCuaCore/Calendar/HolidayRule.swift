/// A statutory holiday as the law states it, valid between two dates: a new law is a new entry,
/// never an edit of an old one (an old dossier's deadline must still be computed as it was).
public struct HolidayRule: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A fixed solar date (`month`, `day`).
        case solar
        /// A fixed lunar date (`month`, `day`).
        case lunar
        /// Tết: `daysBefore` last days of the old lunar year and the first `daysFrom` days of the new one.
        case tet
        /// A second day adjacent to the solar date (`month`, `day`), chosen yearly (National Day).
        case adjacentToSolar
    }

    public let id: String
    public let name: String
    public let kind: Kind
    public var month: Int?
    public var day: Int?
    public var daysBefore: Int?
    public var daysFrom: Int?
    /// First day on which the rule is law.
    public let validFrom: CivilDate
    /// Last day on which the rule is law; open-ended when absent.
    public var validTo: CivilDate?
    /// Where the rule comes from (article and law).
    public let basis: String

    public func isValid(on date: CivilDate) -> Bool {
        date >= validFrom && validTo.map { date <= $0 } ?? true
    }
}

/// What the government's yearly notice fixes for one year; it wins over the rules.
public struct YearNotice: Codable, Hashable, Sendable {
    public struct Day: Codable, Hashable, Sendable {
        public let date: CivilDate
        public let name: String

        public init(date: CivilDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    public let year: Int
    /// The document the notice comes from, to check it against.
    public let source: String
    /// The statutory Tết days, when the notice names them (otherwise the rule's default span).
    public var tet: [CivilDate]?
    /// The National Day's second day, when the notice names it.
    public var nationalDaySecondDay: CivilDate?
    /// Weekdays given off: swapped days, make-up days the notice names, exceptional days off.
    public var daysOff: [Day]?
    /// Weekend days worked instead (làm bù).
    public var workingDays: [Day]?
    /// Holidays on a weekend whose make-up day the notice replaces with its own arrangement.
    public var noMakeUpFor: [CivilDate]?

    public init(year: Int, source: String, tet: [CivilDate]? = nil, nationalDaySecondDay: CivilDate? = nil,
                daysOff: [Day]? = nil, workingDays: [Day]? = nil, noMakeUpFor: [CivilDate]? = nil) {
        self.year = year
        self.source = source
        self.tet = tet
        self.nationalDaySecondDay = nationalDaySecondDay
        self.daysOff = daysOff
        self.workingDays = workingDays
        self.noMakeUpFor = noMakeUpFor
    }
}

/// A day on which offices are closed, and why.
public struct DayOff: Hashable, Sendable {
    public enum Reason: String, Sendable {
        case holiday, makeUp, notice
    }

    public let date: CivilDate
    public let name: String
    public let reason: Reason
}
