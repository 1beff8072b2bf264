import Foundation

/// Working-time arithmetic for one province office, always in Vietnam's time (UTC+7, no daylight
/// saving since 1975) whatever the server's zone: an instant is turned into a local day and a
/// second of that day by plain arithmetic, never through the process's time zone.
public struct WorkingCalendar: Sendable {
    public let holidays: HolidayCalendar
    public let schedule: WorkingSchedule

    public static let utcOffsetSeconds = 7 * 3600
    private static let unixEpochJulianDay = 2_440_588

    public init(holidays: HolidayCalendar, schedule: WorkingSchedule = .standard) {
        self.holidays = holidays
        self.schedule = schedule
    }

    /// Monday to Friday, not a day off; or a weekend day a notice makes a working day.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        if date.isWeekend { return holidays.isWorkedWeekendDay(date) }
        return holidays.dayOff(on: date) == nil
    }

    public func nextWorkingDay(after date: CivilDate) -> CivilDate {
        var day = date.adding(days: 1)
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The first working instant at or after `instant`; with `applyingCutOff`, an instant at or past
    /// the cut-off of a working day moves to the start of the next working day.
    public func startOfCounting(_ instant: Date, applyingCutOff: Bool = false) -> Date {
        var (day, second) = WorkingCalendar.local(instant)
        if isWorkingDay(day), applyingCutOff, let cutOff = schedule.cutOff, second >= Double(cutOff * 60) {
            day = nextWorkingDay(after: day)
            second = 0
        }
        while true {
            if isWorkingDay(day), let session = schedule.sessions.first(where: { Double($0.end * 60) > second }) {
                return WorkingCalendar.instant(day, max(second, Double(session.start * 60)))
            }
            day = nextWorkingDay(after: day)
            second = 0
        }
    }

    /// The instant `seconds` of working time after `instant` (after `startOfCounting`). Landing
    /// exactly at the end of a session gives that end (17:00), not the start of the next one.
    public func adding(workingSeconds seconds: Double, to instant: Date, applyingCutOff: Bool = false) -> Date {
        precondition(seconds >= 0, "working time is added forwards only")
        let start = startOfCounting(instant, applyingCutOff: applyingCutOff)
        var (day, position) = WorkingCalendar.local(start)
        var remaining = seconds
        while true {
            if isWorkingDay(day) {
                for session in schedule.sessions where Double(session.end * 60) > position {
                    let from = max(position, Double(session.start * 60))
                    let available = Double(session.end * 60) - from
                    if remaining <= available {
                        return WorkingCalendar.instant(day, from + remaining)
                    }
                    remaining -= available
                }
            }
            day = nextWorkingDay(after: day)
            position = 0
        }
    }

    public func adding(workingHours hours: Double, to instant: Date, applyingCutOff: Bool = false) -> Date {
        adding(workingSeconds: hours * 3600, to: instant, applyingCutOff: applyingCutOff)
    }

    /// N working days: N full working days of the schedule, so a dossier accepted at the start of
    /// a working day is due at the end of its Nth working day.
    public func adding(workingDays days: Int, to instant: Date, applyingCutOff: Bool = false) -> Date {
        adding(workingSeconds: Double(days * schedule.secondsPerDay), to: instant, applyingCutOff: applyingCutOff)
    }

    /// Working seconds between two instants (zero when `end` is not after `start`), leaving out
    /// every paused interval (a supplement wait stops the clock); pauses may overlap each other.
    public func workingSeconds(from start: Date, to end: Date, pausing paused: [DateInterval] = []) -> Double {
        guard end > start else { return 0 }
        var total = 0.0
        var cursor = start
        for pause in WorkingCalendar.merged(paused) where pause.end > cursor && pause.start < end {
            if pause.start > cursor { total += workingSeconds(cursor, min(pause.start, end)) }
            cursor = max(cursor, pause.end)
            if cursor >= end { return total }
        }
        return total + workingSeconds(cursor, end)
    }

    public func workingHours(from start: Date, to end: Date, pausing paused: [DateInterval] = []) -> Double {
        workingSeconds(from: start, to: end, pausing: paused) / 3600
    }

    private func workingSeconds(_ start: Date, _ end: Date) -> Double {
        guard end > start else { return 0 }
        let (firstDay, firstSecond) = WorkingCalendar.local(start)
        let (lastDay, lastSecond) = WorkingCalendar.local(end)
        var total = 0.0
        var day = firstDay
        while day <= lastDay {
            if isWorkingDay(day) {
                let from = day == firstDay ? firstSecond : 0
                let to = day == lastDay ? lastSecond : 86_400
                for session in schedule.sessions {
                    let overlap = min(to, Double(session.end * 60)) - max(from, Double(session.start * 60))
                    if overlap > 0 { total += overlap }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// Sorted, with overlapping or touching intervals joined.
    static func merged(_ intervals: [DateInterval]) -> [DateInterval] {
        var result: [DateInterval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, interval.start <= last.end {
                result[result.count - 1] = DateInterval(start: last.start, end: max(last.end, interval.end))
            } else {
                result.append(interval)
            }
        }
        return result
    }

    /// The local (UTC+7) date of an instant and the seconds since that date's midnight.
    public static func local(_ instant: Date) -> (CivilDate, Double) {
        let localSeconds = instant.timeIntervalSince1970 + Double(utcOffsetSeconds)
        let days = (localSeconds / 86_400).rounded(.down)
        return (CivilDate(julianDay: Int(days) + unixEpochJulianDay), localSeconds - days * 86_400)
    }

    /// ISO 8601 in Vietnam time, as the API and the CLI write instants: `2026-02-25T17:00:00+07:00`.
    public static func iso8601(_ instant: Date) -> String {
        let (date, seconds) = local(instant)
        let whole = Int(seconds.rounded(.down))
        let (year, month, day) = date.components
        guard (0...9999).contains(year) else {
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(date)T\(two(whole / 3600)):\(two(whole / 60 % 60)):\(two(whole % 60))+07:00"
        }
        // Digit by digit rather than by interpolation: every answer and inbox line writes several
        // (7 % of the request thread on an inbox page).
        return String(unsafeUninitializedCapacity: 25) { text in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var rest = value
                for index in (start..<(start + width)).reversed() {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, 4, at: 0)
            put(month, 2, at: 5)
            put(day, 2, at: 8)
            put(whole / 3600, 2, at: 11)
            put(whole / 60 % 60, 2, at: 14)
            put(whole % 60, 2, at: 17)
            (text[4], text[7], text[10], text[13], text[16]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: ":"))
            (text[19], text[20], text[21], text[22], text[23], text[24]) =
                (UInt8(ascii: "+"), UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: ":"), UInt8(ascii: "0"), UInt8(ascii: "0"))
            return 25
        }
    }

    /// The instant at `second` seconds after local midnight starting `date`.
    public static func instant(_ date: CivilDate, _ second: Double) -> Date {
        let days = Double(date.julianDay - unixEpochJulianDay)
        return Date(timeIntervalSince1970: days * 86_400 + second - Double(utcOffsetSeconds))
    }
}
