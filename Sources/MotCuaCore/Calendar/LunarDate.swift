/// A date on the Vietnamese lunisolar calendar (âm lịch).
public struct LunarDate: Hashable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    /// True for the intercalary month (tháng nhuận) that repeats `month`.
    public let isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }
}

extension LunarDate: CustomStringConvertible, LosslessStringConvertible {
    /// `YYYY-MM-DD`, with `L` after the month of a leap month: `2025-06L-01`.
    public var description: String {
        "\(pad(year, 4))-\(pad(month, 2))\(isLeapMonth ? "L" : "")-\(pad(day, 2))"
    }

    /// Parses the form `description` writes; checks the shape only, not that the date exists.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[2].count == 2 else { return nil }
        var monthText = Substring(parts[1])
        let leap = monthText.hasSuffix("L")
        if leap { monthText = monthText.dropLast() }
        guard monthText.count == 2,
              [parts[0], monthText, parts[2]].allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(monthText), let d = Int(parts[2]),
              (1...12).contains(m), (1...30).contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d, isLeapMonth: leap)
    }
}

/// One lunar month as it falls on the solar calendar.
public struct LunarMonth: Hashable, Sendable {
    public let year: Int
    public let month: Int
    public let isLeap: Bool
    public let start: CivilDate
    /// 29 or 30.
    public let length: Int
}
