/// The days off of every year, derived once from the statutory rules and the yearly notices.
///
/// Order of precedence, lowest first: the rules; make-up days for holidays that fall on a weekend;
/// the year's notice (its Tết span and National Day, days it gives off, weekend days it makes
/// working days, and make-up days it waives).
public struct HolidayCalendar: Sendable {
    public let rules: [HolidayRule]
    public let notices: [Int: YearNotice]
    public let years: ClosedRange<Int>
    private var daysOff: [Int: DayOff] = [:]
    private var workedWeekendDays: [Int: String] = [:]

    public init(rules: [HolidayRule], notices: [YearNotice], years: ClosedRange<Int> = 1900...2199) {
        self.rules = rules
        self.notices = Dictionary(notices.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        self.years = years
        for year in years {
            addYear(year)
        }
    }

    /// The day off on a date, if offices are closed for a holiday, a make-up day or a notice.
    public func dayOff(on date: CivilDate) -> DayOff? { daysOff[date.julianDay] }

    /// True when a notice makes this Saturday or Sunday a working day.
    public func isWorkedWeekendDay(_ date: CivilDate) -> Bool { workedWeekendDays[date.julianDay] != nil }

    /// Every day off of a solar year that is not an ordinary weekend, in date order.
    public func daysOff(inYear year: Int) -> [DayOff] {
        guard let first = CivilDate(year: year, month: 1, day: 1), let last = CivilDate(year: year, month: 12, day: 31)
        else { return [] }
        return (first.julianDay...last.julianDay).compactMap { daysOff[$0] }
    }

    /// Weekend days a notice turns into working days, in date order.
    public func workedWeekendDays(inYear year: Int) -> [YearNotice.Day] {
        (notices[year]?.workingDays ?? []).sorted { $0.date < $1.date }
    }

    private mutating func addYear(_ year: Int) {
        let notice = notices[year]
        var holidays: [DayOff] = []
        for rule in rules {
            for (date, name) in dates(of: rule, in: year, notice: notice) where rule.isValid(on: date) {
                holidays.append(DayOff(date: date, name: name, reason: .holiday))
            }
        }
        for holiday in holidays where daysOff[holiday.date.julianDay] == nil {
            daysOff[holiday.date.julianDay] = holiday
        }
        for day in notice?.workingDays ?? [] {
            workedWeekendDays[day.date.julianDay] = day.name
        }
        for day in notice?.daysOff ?? [] where daysOff[day.date.julianDay] == nil {
            daysOff[day.date.julianDay] = DayOff(date: day.date, name: day.name, reason: .notice)
        }
        let waived = Set(notice?.noMakeUpFor ?? [])
        for holiday in holidays.sorted(by: { $0.date < $1.date })
        where holiday.date.isWeekend && !waived.contains(holiday.date) && !isWorkedWeekendDay(holiday.date) {
            var candidate = holiday.date.adding(days: 1)
            while candidate.isWeekend || daysOff[candidate.julianDay] != nil {
                candidate = candidate.adding(days: 1)
            }
            daysOff[candidate.julianDay] = DayOff(date: candidate, name: "Nghỉ bù \(holiday.name)", reason: .makeUp)
        }
    }

    private func dates(of rule: HolidayRule, in year: Int, notice: YearNotice?) -> [(CivilDate, String)] {
        switch rule.kind {
        case .solar:
            guard let month = rule.month, let day = rule.day, let date = CivilDate(year: year, month: month, day: day)
            else { return [] }
            return [(date, rule.name)]
        case .lunar:
            guard let month = rule.month, let day = rule.day,
                  let date = LunarCalendar.solar(from: LunarDate(year: year, month: month, day: day))
            else { return [] }
            return [(date, rule.name)]
        case .tet:
            let span: [CivilDate]
            if let fixed = notice?.tet {
                span = fixed
            } else {
                guard let newYear = LunarCalendar.newYear(year) else { return [] }
                let before = rule.daysBefore ?? 1, from = rule.daysFrom ?? 4
                span = (-before..<from).map { newYear.adding(days: $0) }
            }
            return span.map { ($0, "\(rule.name) (\(TetNaming.name(of: $0)))") }
        case .adjacentToSolar:
            guard let month = rule.month, let day = rule.day, let anchor = CivilDate(year: year, month: month, day: day)
            else { return [] }
            return [(notice?.nationalDaySecondDay ?? HolidayCalendar.defaultAdjacentDay(to: anchor), rule.name)]
        }
    }

    /// When no notice chooses, the adjacent day that joins the holiday to a weekend; failing that
    /// the weekday before; failing that the day after. (Recent notices: 2021 Fri 3/9, 2022 Thu 1/9,
    /// 2023 Fri 1/9, 2024 Tue 3/9, 2025 Mon 1/9, all consistent with this.)
    static func defaultAdjacentDay(to anchor: CivilDate) -> CivilDate {
        let before = anchor.adding(days: -1), after = anchor.adding(days: 1)
        if before.isoWeekday == 1 { return before }
        if after.isoWeekday == 5 { return after }
        if !before.isWeekend { return before }
        return after
    }
}

/// How a Tết day is called: "30 Tết" for the eve, "mùng 1" … "mùng 10" in the first month.
enum TetNaming {
    static func name(of date: CivilDate) -> String {
        guard let lunar = LunarCalendar.lunar(from: date) else { return date.description }
        if lunar.month == 1 && !lunar.isLeapMonth {
            return lunar.day <= 10 ? "mùng \(lunar.day)" : "\(lunar.day) tháng Giêng"
        }
        if lunar.month == 12, LunarCalendar.lunar(from: date.adding(days: 1))?.month == 1 {
            return "\(lunar.day) Tết"
        }
        return lunar.month == 12 ? "\(lunar.day) tháng Chạp" : lunar.description
    }
}
