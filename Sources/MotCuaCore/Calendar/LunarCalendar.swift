/// The Vietnamese lunisolar calendar, computed astronomically for UTC+7.
///
/// Rules (shared with the Chinese calendar, but applied at Vietnam's meridian, which is why the two
/// differ in some years, e.g. Tết 1985): a month starts on the local day of a new moon; month 11 is
/// the month that contains the winter solstice; when 13 months separate two month-11s, the first of
/// them with no major solar term (trung khí, a multiple of 30° of solar longitude) is the leap month
/// and repeats the number of the month before it.
///
/// Every month from lunar 1898/11 to 2200/10 is computed once, on first use (about 3,700 new moons),
/// and conversions are then a binary search; this covers every solar day 1900-01-01…2199-12-31.
public enum LunarCalendar {
    public static let supportedRange = CivilDate(year: 1900, month: 1, day: 1)!...CivilDate(year: 2199, month: 12, day: 31)!

    /// The lunar date of a solar date, or nil outside `supportedRange`.
    public static func lunar(from date: CivilDate) -> LunarDate? {
        guard supportedRange.contains(date), let month = table.month(containing: date.julianDay) else { return nil }
        return LunarDate(year: month.year, month: month.month, day: date - month.start + 1, isLeapMonth: month.isLeap)
    }

    /// The solar date of a lunar date, or nil if that lunar date does not exist (a 30th in a short
    /// month, a leap month in a year without it) or lies outside `supportedRange`.
    public static func solar(from date: LunarDate) -> CivilDate? {
        guard let month = table.month(year: date.year, month: date.month, isLeap: date.isLeapMonth),
              date.day >= 1, date.day <= month.length
        else { return nil }
        let solar = month.start.adding(days: date.day - 1)
        return supportedRange.contains(solar) ? solar : nil
    }

    /// The months of a lunar year in order, the leap month after the month it repeats.
    public static func months(ofLunarYear year: Int) -> [LunarMonth] {
        table.months.filter { $0.year == year }
    }

    /// The number of the month repeated by the leap month of a lunar year, or nil if none.
    public static func leapMonth(ofLunarYear year: Int) -> Int? {
        months(ofLunarYear: year).first(where: \.isLeap)?.month
    }

    /// The first day of the lunar year (mùng 1 Tết).
    public static func newYear(_ year: Int) -> CivilDate? {
        table.month(year: year, month: 1, isLeap: false)?.start
    }

    private static let table = LunarTable(firstSolarYear: 1898, lastSolarYear: 2200)
}

private struct LunarTable: Sendable {
    let months: [LunarMonth]
    private let index: [Int: Int]

    init(firstSolarYear: Int, lastSolarYear: Int) {
        var months: [LunarMonth] = []
        var lunationOfMonth11 = LunarTable.month11Lunation(solarYear: firstSolarYear)
        for year in (firstSolarYear + 1)...lastSolarYear {
            let next = LunarTable.month11Lunation(solarYear: year)
            let count = next - lunationOfMonth11
            var leapOffset: Int? = nil
            if count == 13 {
                leapOffset = (1...12).first { offset in
                    let k = lunationOfMonth11 + offset
                    return LunarTable.sector(LunarTable.newMoonDay(k)) == LunarTable.sector(LunarTable.newMoonDay(k + 1))
                }
            }
            for offset in 0..<count {
                let k = lunationOfMonth11 + offset
                let start = LunarTable.newMoonDay(k)
                let ordinal = leapOffset.map { offset >= $0 ? offset - 1 : offset } ?? offset
                let number = (ordinal + 10) % 12 + 1
                months.append(LunarMonth(
                    year: number >= 11 ? year - 1 : year,
                    month: number,
                    isLeap: offset == leapOffset,
                    start: CivilDate(julianDay: start),
                    length: LunarTable.newMoonDay(k + 1) - start
                ))
            }
            lunationOfMonth11 = next
        }
        self.months = months
        var index: [Int: Int] = [:]
        for (position, month) in months.enumerated() {
            index[LunarTable.key(month.year, month.month, month.isLeap)] = position
        }
        self.index = index
    }

    func month(containing julianDay: Int) -> LunarMonth? {
        guard let first = months.first, let last = months.last,
              julianDay >= first.start.julianDay, julianDay < last.start.julianDay + last.length
        else { return nil }
        var low = 0, high = months.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if months[mid].start.julianDay <= julianDay { low = mid } else { high = mid - 1 }
        }
        return months[low]
    }

    func month(year: Int, month: Int, isLeap: Bool) -> LunarMonth? {
        index[LunarTable.key(year, month, isLeap)].map { months[$0] }
    }

    private static func key(_ year: Int, _ month: Int, _ isLeap: Bool) -> Int {
        year * 32 + month * 2 + (isLeap ? 1 : 0)
    }

    static let zoneHours = 7.0

    /// The local (UTC+7) Julian Day Number of the day on which lunation `k` begins.
    static func newMoonDay(_ k: Int) -> Int {
        Int((Astronomy.newMoon(k) + 0.5 + zoneHours / 24).rounded(.down))
    }

    /// Which 30° sector of solar longitude the Sun is in at local midnight starting the day:
    /// a month holds a major term exactly when the sector changes between its first day and the next month's.
    static func sector(_ julianDay: Int) -> Int {
        Int(Astronomy.sunLongitude(julianDayUT: Double(julianDay) - 0.5 - zoneHours / 24) / 30)
    }

    /// The lunation that starts month 11 of the lunar year ending in `solarYear`: the month
    /// containing that December's solstice (270°, sector 9).
    static func month11Lunation(solarYear: Int) -> Int {
        let december31 = CivilDate(year: solarYear, month: 12, day: 31)!.julianDay
        var k = Int(((Double(december31) - 2451550.1) / Astronomy.synodicMonth).rounded(.down))
        while newMoonDay(k + 1) <= december31 { k += 1 }
        while newMoonDay(k) > december31 { k -= 1 }
        return sector(newMoonDay(k)) >= 9 ? k - 1 : k
    }
}
