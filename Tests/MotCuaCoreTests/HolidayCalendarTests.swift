import Foundation
import Testing
@testable import MotCuaCore

@Suite struct HolidayCalendarTests {
    static let shipped = try! CalendarData.bundledHolidays.get()

    func lines(_ year: Int, _ calendar: HolidayCalendar = shipped) -> [String] {
        calendar.daysOff(inYear: year).map { "\($0.date) \($0.name)" }
    }

    @Test func year2026AsNotified() {
        #expect(lines(2026) == [
            "2026-01-01 Tết Dương lịch",
            "2026-01-02 Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
            "2026-02-16 Tết Nguyên Đán (29 Tết)",
            "2026-02-17 Tết Nguyên Đán (mùng 1)",
            "2026-02-18 Tết Nguyên Đán (mùng 2)",
            "2026-02-19 Tết Nguyên Đán (mùng 3)",
            "2026-02-20 Tết Nguyên Đán (mùng 4)",
            "2026-04-26 Giỗ Tổ Hùng Vương",
            "2026-04-27 Nghỉ bù Giỗ Tổ Hùng Vương",
            "2026-04-30 Ngày Giải phóng miền Nam, thống nhất đất nước",
            "2026-05-01 Ngày Quốc tế Lao động",
            "2026-08-31 Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)",
            "2026-09-01 Quốc khánh (ngày liền kề)",
            "2026-09-02 Quốc khánh",
            "2026-11-24 Ngày Văn hóa Việt Nam",
        ])
        #expect(Self.shipped.workedWeekendDays(inYear: 2026).map(\.date.description) == ["2026-01-10", "2026-08-22"])
    }

    @Test func year2024TetOnAWeekendGivesMakeUpDays() {
        let days = lines(2024)
        #expect(days.contains("2024-02-08 Tết Nguyên Đán (29 tháng Chạp)"))
        #expect(days.contains("2024-02-09 Tết Nguyên Đán (30 Tết)"))
        #expect(days.contains("2024-02-13 Nghỉ bù Tết Nguyên Đán (mùng 1)"))
        #expect(days.contains("2024-02-14 Nghỉ bù Tết Nguyên Đán (mùng 2)"))
        #expect(!days.contains { $0.hasPrefix("2024-02-15") })
        #expect(days.contains("2024-04-29 Nghỉ hoán đổi (làm bù thứ Bảy 04/5/2024)"))
        #expect(days.contains("2024-09-03 Quốc khánh (ngày liền kề)"))
        #expect(!days.contains { $0.contains("Văn hóa") })
    }

    /// With no notice the rules alone decide: Hùng Kings on lunar 10/3, Tết = eve + mùng 1–4,
    /// and a weekend holiday moves to the next working day.
    @Test func yearWithoutNoticeFollowsTheRules() {
        let days = lines(2027)
        // Tết 2027 is Saturday 6 February; lunar 2026/12 has 29 days, so the eve is "29 Tết",
        // Friday 5th; mùng 1–2 fall on the weekend.
        #expect(LunarCalendar.newYear(2027)?.description == "2027-02-06")
        #expect(Array(days.filter { $0.contains("Tết Nguyên Đán") }) == [
            "2027-02-05 Tết Nguyên Đán (29 Tết)",
            "2027-02-06 Tết Nguyên Đán (mùng 1)",
            "2027-02-07 Tết Nguyên Đán (mùng 2)",
            "2027-02-08 Tết Nguyên Đán (mùng 3)",
            "2027-02-09 Tết Nguyên Đán (mùng 4)",
            "2027-02-10 Nghỉ bù Tết Nguyên Đán (mùng 1)",
            "2027-02-11 Nghỉ bù Tết Nguyên Đán (mùng 2)",
        ])
        let hungKings = LunarCalendar.solar(from: LunarDate(year: 2027, month: 3, day: 10))!
        #expect(days.contains("\(hungKings) Giỗ Tổ Hùng Vương"))
        // 24 November 2027 is a Wednesday; 2 September a Thursday, so the second day is Friday 3rd.
        #expect(days.contains("2027-11-24 Ngày Văn hóa Việt Nam"))
        #expect(days.contains("2027-09-03 Quốc khánh (ngày liền kề)"))
    }

    @Test func olderCodesApplyToOlderYears() {
        // Labour Code 1994: Tết four days, no Hùng Kings day before 2007, National Day one day.
        let tet2005 = lines(2005).filter { $0.contains("Tết Nguyên Đán (") && !$0.contains("Nghỉ bù") }
        #expect(tet2005.count == 4)
        #expect(!lines(2005).contains { $0.contains("Hùng Vương") })
        #expect(lines(2008).contains { $0.contains("Hùng Vương") })
        #expect(lines(2015).filter { $0.contains("Tết Nguyên Đán (") && !$0.contains("Nghỉ bù") }.count == 5)
        #expect(!lines(2019).contains { $0.contains("liền kề") })
        #expect(lines(2021).contains { $0.contains("liền kề") })
        #expect(lines(1990).isEmpty)
    }

    @Test func aNewLawIsOneNewRule() {
        var rules = try! CalendarData.bundledRules()
        rules.append(HolidayRule(id: "test-day", name: "Ngày thử", kind: .solar, month: 3, day: 14,
                                 validFrom: CivilDate(2030, 1, 1), basis: "test"))
        let calendar = HolidayCalendar(rules: rules, notices: [], years: 2029...2031)
        #expect(!lines(2029, calendar).contains { $0.contains("Ngày thử") })
        // 14 March 2031 is a Friday; 2032 is outside the built years.
        #expect(lines(2031, calendar).contains("2031-03-14 Ngày thử"))
        // 14 March 2030 is a Thursday.
        #expect(lines(2030, calendar).contains("2030-03-14 Ngày thử"))
    }

    @Test func makeUpDaysSkipOtherDaysOffAndCanBeWaived() {
        let rules = [
            HolidayRule(id: "a", name: "A", kind: .solar, month: 5, day: 2, validFrom: CivilDate(2000, 1, 1), basis: "t"),
            HolidayRule(id: "b", name: "B", kind: .solar, month: 5, day: 4, validFrom: CivilDate(2000, 1, 1), basis: "t"),
        ]
        // 2 May 2026 is a Saturday, 4 May a Monday: A's make-up skips B to Tuesday 5 May.
        let calendar = HolidayCalendar(rules: rules, notices: [], years: 2026...2026)
        #expect(lines(2026, calendar) == ["2026-05-02 A", "2026-05-04 B", "2026-05-05 Nghỉ bù A"])
        let waived = HolidayCalendar(rules: rules, notices: [
            YearNotice(year: 2026, source: "t", noMakeUpFor: [CivilDate(2026, 5, 2)]),
        ], years: 2026...2026)
        #expect(lines(2026, waived) == ["2026-05-02 A", "2026-05-04 B"])
    }

    @Test func noticesAreValidatedOnLoad() {
        let stray = #"{"notices":[{"year":2026,"source":"x","daysOff":[{"date":"2025-12-31","name":"x"}]}]}"#
        #expect(throws: CalendarData.LoadError.self) { try CalendarData.notices(from: Data(stray.utf8)) }
        let weekday = #"{"notices":[{"year":2026,"source":"x","workingDays":[{"date":"2026-01-05","name":"x"}]}]}"#
        #expect(throws: CalendarData.LoadError.self) { try CalendarData.notices(from: Data(weekday.utf8)) }
        let badDate = #"{"notices":[{"year":2026,"source":"x","tet":["2026-02-30"]}]}"#
        do {
            _ = try CalendarData.notices(from: Data(badDate.utf8))
            Issue.record("a non-existent date was accepted")
        } catch {
            #expect("\(error)".contains("2026-02-30"))
        }
    }
}
