import Foundation

extension CivilDate {
    /// The date as the integer `yyyymmdd`: sortable, and compact in rollup keys.
    public var dayNumber: Int { year * 10000 + month * 100 + day }

    public init?(dayNumber: Int) {
        self.init(year: dayNumber / 10000, month: dayNumber / 100 % 100, day: dayNumber % 100)
    }

    /// The local (UTC+7) day of an instant.
    public static func of(_ instant: Date) -> CivilDate { WorkingCalendar.local(instant).0 }
}

/// How finely a rollup row counts: one day, one month, one year, or all time. The all-time row
/// lets a sum from the beginning up to a day be read as that row minus the few rows after the
/// day, instead of every row before it.
public enum ReportGrain: String, Codable, Sendable, CaseIterable {
    case day = "d", month = "m", year = "y", total = "t"

    /// The grains of calendar periods (what a period's spans are made of).
    public static let calendar: [ReportGrain] = [.day, .month, .year]

    /// The key of the row of this grain that a day falls in: `yyyymmdd`, `yyyymm`, `yyyy`, or 0.
    public func period(of date: CivilDate) -> Int {
        switch self {
        case .day: return date.dayNumber
        case .month: return date.year * 100 + date.month
        case .year: return date.year
        case .total: return 0
        }
    }
}

/// A run of rollup rows of one grain, from `first` to `last` period keys inclusive.
public struct RollupSpan: Hashable, Sendable {
    public let grain: ReportGrain
    public let first: Int
    public let last: Int

    public init(grain: ReportGrain, first: Int, last: Int) {
        self.grain = grain
        self.first = first
        self.last = last
    }
}

/// A closed range of days to report on.
public struct ReportPeriod: Hashable, Sendable, Codable {
    public let from: CivilDate
    public let to: CivilDate

    public init?(from: CivilDate, to: CivilDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    /// The first day anything can have been counted (no dossier predates it).
    public static let beginning = CivilDate(year: 2000, month: 1, day: 1)!

    /// A day after anything can be counted (due days lie ahead, but not this far).
    public static let end = CivilDate(year: 2999, month: 12, day: 31)!

    /// The days after `day`, up to `end`; nil when there are none.
    public static func after(_ day: CivilDate) -> ReportPeriod? {
        ReportPeriod(from: max(day, beginning.adding(days: -1)).adding(days: 1), to: end)
    }

    public static func month(_ year: Int, _ month: Int) -> ReportPeriod? {
        guard let first = CivilDate(year: year, month: month, day: 1) else { return nil }
        return ReportPeriod(from: first, to: first.adding(days: CivilDate.daysIn(month: month, year: year) - 1))
    }

    public static func quarter(_ year: Int, _ quarter: Int) -> ReportPeriod? {
        guard (1...4).contains(quarter), let first = month(year, quarter * 3 - 2), let last = month(year, quarter * 3) else { return nil }
        return ReportPeriod(from: first.from, to: last.to)
    }

    public static func year(_ year: Int) -> ReportPeriod? {
        guard let first = CivilDate(year: year, month: 1, day: 1), let last = CivilDate(year: year, month: 12, day: 31) else { return nil }
        return ReportPeriod(from: first, to: last)
    }

    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }

    /// The fewest rollup rows that add up to exactly this range: whole years where the range
    /// covers them, whole months at the edges of those, single days at the very edges. A year
    /// report reads 1 row per key, a month 1, any range at most about 60 spans of rows.
    public var spans: [RollupSpan] {
        var pieces: [(ReportGrain, Int)] = []
        var cursor = from
        while cursor <= to {
            let (y, m, d) = cursor.components
            let monthEnd = cursor.adding(days: CivilDate.daysIn(month: m, year: y) - d)
            let yearEnd = CivilDate(year: y, month: 12, day: 31)!
            if m == 1, d == 1, yearEnd <= to {
                pieces.append((.year, y))
                cursor = yearEnd.adding(days: 1)
            } else if d == 1, monthEnd <= to {
                pieces.append((.month, y * 100 + m))
                cursor = monthEnd.adding(days: 1)
            } else {
                pieces.append((.day, cursor.dayNumber))
                cursor = cursor.adding(days: 1)
            }
        }
        // Neighbouring pieces of one grain are consecutive periods: one span each.
        var spans: [RollupSpan] = []
        for (grain, period) in pieces {
            if let last = spans.last, last.grain == grain {
                spans[spans.count - 1] = RollupSpan(grain: grain, first: last.first, last: period)
            } else {
                spans.append(RollupSpan(grain: grain, first: period, last: period))
            }
        }
        return spans
    }
}
