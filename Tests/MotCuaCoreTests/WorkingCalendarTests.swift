import Foundation
import Testing
@testable import MotCuaCore

@Suite struct WorkingCalendarTests {
    static let calendar = WorkingCalendar(holidays: try! CalendarData.bundledHolidays.get())
    var calendar: WorkingCalendar { Self.calendar }

    /// Instants are written digit by digit, as the interpolated form wrote them, from year 1 to 9999.
    @Test func iso8601IsWrittenAsTheInterpolatedFormWasWritten() {
        func interpolated(_ instant: Date) -> String {
            let (date, seconds) = WorkingCalendar.local(instant)
            let whole = Int(seconds.rounded(.down))
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(date)T\(two(whole / 3600)):\(two(whole / 60 % 60)):\(two(whole % 60))+07:00"
        }
        var random = SplitMix64(seed: 766)
        let first = -62_135_596_800.0 + 86_400, last = 253_402_300_799.0 - 86_400 // 0001-01-02 … 9999-12-30
        var instants = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: first...last, using: &random)) }
        instants += [0, -1, -25_200, -25_199.5, 1_798_736_399.999, 1_798_736_400].map(Date.init(timeIntervalSince1970:))
        for instant in instants { #expect(WorkingCalendar.iso8601(instant) == interpolated(instant), "\(instant.timeIntervalSince1970)") }
        #expect(WorkingCalendar.iso8601(Date(timeIntervalSince1970: 1_798_736_400)) == "2027-01-01T00:00:00+07:00")
    }

    @Test func workingDays() {
        #expect(calendar.isWorkingDay(CivilDate(2026, 11, 23)))          // Monday
        #expect(!calendar.isWorkingDay(CivilDate(2026, 11, 24)))         // Culture Day
        #expect(!calendar.isWorkingDay(CivilDate(2026, 11, 22)))         // Sunday
        #expect(calendar.isWorkingDay(CivilDate(2026, 1, 10)))           // Saturday worked (swap)
        #expect(!calendar.isWorkingDay(CivilDate(2026, 1, 2)))           // the swapped Friday
        #expect(calendar.nextWorkingDay(after: CivilDate(2026, 2, 13)) == CivilDate(2026, 2, 23))
    }

    /// Accepted Friday 13 February 2026 at 16:00, after the 15:00 cut-off and before the Tết break
    /// (14–22 February): counting starts Monday 23rd at 07:30.
    @Test func acceptedAfterCutOffBeforeTet() {
        let accepted = vn(2026, 2, 13, 16, 0)
        #expect(calendar.adding(workingDays: 3, to: accepted, applyingCutOff: true) == vn(2026, 2, 25, 17, 0))
        #expect(calendar.adding(workingHours: 12, to: accepted, applyingCutOff: true) == vn(2026, 2, 24, 11, 30))
        // Without the cut-off the last hour of Friday counts.
        #expect(calendar.adding(workingHours: 2, to: accepted) == vn(2026, 2, 23, 8, 30))
    }

    @Test func sessionsAndLunchBreak() {
        // 10:00 + 2 h = 13:30: 11:30–13:00 is not working time.
        #expect(calendar.adding(workingHours: 2, to: vn(2026, 11, 23, 10, 0)) == vn(2026, 11, 23, 13, 30))
        // Landing on the end of a session gives that end.
        #expect(calendar.adding(workingHours: 1.5, to: vn(2026, 11, 23, 10, 0)) == vn(2026, 11, 23, 11, 30))
        // Before opening, counting starts at 07:30; one day ends at 17:00 the same day.
        #expect(calendar.adding(workingDays: 1, to: vn(2026, 11, 23, 6, 0)) == vn(2026, 11, 23, 17, 0))
        // Monday 23 November 09:00 + 1 day: Tuesday 24th is Culture Day, so Wednesday 09:00.
        #expect(calendar.adding(workingDays: 1, to: vn(2026, 11, 23, 9, 0)) == vn(2026, 11, 25, 9, 0))
        // Submitted on a Sunday: counts from Monday.
        #expect(calendar.startOfCounting(vn(2026, 11, 22, 10, 0), applyingCutOff: true) == vn(2026, 11, 23, 7, 30))
    }

    @Test func configurableScheduleAndCutOff() {
        let schedule = WorkingSchedule(sessions: WorkingSchedule.parseSessions("08:00-12:00,13:30-17:30")!, cutOff: nil)!
        let custom = WorkingCalendar(holidays: calendar.holidays, schedule: schedule)
        #expect(schedule.secondsPerDay == 8 * 3600)
        // No cut-off: 16:00 Monday + 4 h = 10:30 Tuesday (1.5 h Monday, 2.5 h Tuesday).
        #expect(custom.adding(workingHours: 4, to: vn(2026, 11, 23, 16, 0), applyingCutOff: true) == vn(2026, 11, 25, 10, 30))
        #expect(WorkingSchedule(sessions: WorkingSchedule.parseSessions("13:00-17:00,07:30-11:30")!, cutOff: nil) == nil)
        #expect(WorkingSchedule.parseSessions("7:30-11:30") == nil)
        #expect(WorkingSchedule.parseTime("24:01") == nil)
    }

    @Test func elapsedWithPauses() {
        let start = vn(2026, 11, 23, 7, 30)
        let end = vn(2026, 11, 27, 17, 0)  // Mon–Fri, Tuesday a holiday: 4 working days
        #expect(calendar.workingHours(from: start, to: end) == 32)
        // A supplement wait from Wednesday 13:00 to Thursday 13:00 stops the clock for 8 working hours.
        let pause = DateInterval(start: vn(2026, 11, 25, 13, 0), end: vn(2026, 11, 26, 13, 0))
        #expect(calendar.workingHours(from: start, to: end, pausing: [pause]) == 24)
        // Overlapping and out-of-range pauses are counted once and clipped.
        let overlapping = DateInterval(start: vn(2026, 11, 26, 8, 0), end: vn(2026, 11, 26, 11, 30))
        let outside = DateInterval(start: vn(2026, 12, 1), end: vn(2026, 12, 2))
        #expect(calendar.workingHours(from: start, to: end, pausing: [overlapping, pause, outside]) == 24)
        #expect(calendar.workingHours(from: end, to: start) == 0)
    }

    /// Adding N then measuring from where counting started gives N, for random instants and sizes.
    @Test func addThenMeasureReturnsN() {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<3000 {
            let instant = randomInstant(&rng)
            let seconds = Double(Int.random(in: 0...(400 * 3600), using: &rng))
            let cutOff = Bool.random(using: &rng)
            let end = calendar.adding(workingSeconds: seconds, to: instant, applyingCutOff: cutOff)
            let start = calendar.startOfCounting(instant, applyingCutOff: cutOff)
            let measured = calendar.workingSeconds(from: start, to: end)
            #expect(abs(measured - seconds) < 0.001, "\(instant) + \(seconds)s → \(end), measured \(measured)")
            if !cutOff { #expect(calendar.workingSeconds(from: instant, to: end) == measured) }
        }
    }

    @Test func elapsedIsMonotonic() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            let a = randomInstant(&rng)
            let b = a.addingTimeInterval(Double(Int.random(in: 0...(40 * 86_400), using: &rng)))
            let c = b.addingTimeInterval(Double(Int.random(in: 0...(40 * 86_400), using: &rng)))
            let ab = calendar.workingSeconds(from: a, to: b), bc = calendar.workingSeconds(from: b, to: c)
            let ac = calendar.workingSeconds(from: a, to: c)
            #expect(ab <= ac)
            #expect(abs(ab + bc - ac) < 0.001)
        }
    }

    /// Whatever the pauses, the measured time equals the time outside every pause.
    @Test func pausedTimeIsNeverCounted() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<1000 {
            let start = randomInstant(&rng)
            let end = start.addingTimeInterval(Double(Int.random(in: 0...(60 * 86_400), using: &rng)))
            let pauses: [DateInterval] = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                let from = start.addingTimeInterval(Double(Int.random(in: -86_400...(60 * 86_400), using: &rng)))
                return DateInterval(start: from, duration: Double(Int.random(in: 0...(10 * 86_400), using: &rng)))
            }
            let measured = calendar.workingSeconds(from: start, to: end, pausing: pauses)
            // Reference: sample-free computation as total minus working time inside the merged pauses.
            var inside = 0.0
            for pause in WorkingCalendar.merged(pauses) {
                let from = max(pause.start, start), to = min(pause.end, end)
                if to > from { inside += calendar.workingSeconds(from: from, to: to) }
            }
            let total = calendar.workingSeconds(from: start, to: end)
            #expect(abs(measured - (total - inside)) < 0.001)
            #expect(measured <= total)
        }
    }

    /// The server's own time zone never changes the answer.
    @Test func independentOfTheProcessTimeZone() {
        let before = calendar.adding(workingDays: 3, to: vn(2026, 2, 13, 16, 0), applyingCutOff: true)
        let saved = ProcessInfo.processInfo.environment["TZ"]
        setenv("TZ", "America/Los_Angeles", 1)
        tzset()
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        #expect(calendar.adding(workingDays: 3, to: vn(2026, 2, 13, 16, 0), applyingCutOff: true) == before)
        #expect(WorkingCalendar.local(vn(2026, 2, 13, 23, 59)).0 == CivilDate(2026, 2, 13))
    }

    private func randomInstant(_ rng: inout SplitMix64) -> Date {
        vn(2023, 1, 1).addingTimeInterval(Double(Int.random(in: 0...(5 * 365 * 86_400), using: &rng)))
    }
}
