import ArgumentParser
import Foundation
import MotCuaCore

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The Vietnamese working calendar: holidays, lunar dates, working-time arithmetic.",
        subcommands: [Holidays.self, Lunar.self, Solar.self, Add.self]
    )

    struct Holidays: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Days off of a year: DATE<TAB>name.")
        @Argument(help: "A year, 1900–2199.") var year: String

        func run() throws {
            for line in try CalendarCLI.holidays(year) { Output.current.out(line) }
        }
    }

    struct Lunar: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Solar YYYY-MM-DD to lunar (L after a leap month).")
        @Argument(help: "A solar date, YYYY-MM-DD.") var date: String

        func run() throws { Output.current.out(try CalendarCLI.lunar(date)) }
    }

    struct Solar: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lunar YYYY-MM-DD (or YYYY-MML-DD) to solar.")
        @Argument(help: "A lunar date, e.g. 2026-01-01 or 2025-06L-01.") var date: String

        func run() throws { Output.current.out(try CalendarCLI.solar(date)) }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add working days (3d) or hours (12h) to a Vietnam-time instant, as a dossier accepted then would count.")
        @Argument(help: "YYYY-MM-DDTHH:MM[:SS], Vietnam time (or with an explicit offset).") var instant: String
        @Argument(help: "Nd or Nh.") var duration: String
        @Flag(help: "Ignore the acceptance cut-off.") var noCutOff = false

        func run() throws {
            Output.current.out(try CalendarCLI.add(instant, duration, applyingCutOff: !noCutOff))
        }
    }
}

/// The calendar commands as functions of their text arguments: each returns what to print or
/// throws a `UsageError` saying what was wrong.
enum CalendarCLI {
    static func calendar() throws -> WorkingCalendar {
        WorkingCalendar(holidays: try CalendarData.bundledHolidays.get())
    }

    static func holidays(_ yearText: String) throws -> [String] {
        guard yearText.count == 4, let year = Int(yearText), (1900...2199).contains(year) else {
            throw UsageError("calendar holidays: expected a year from 1900 to 2199, got \"\(yearText)\"")
        }
        return try calendar().holidays.daysOff(inYear: year).map { "\($0.date)\t\($0.name)" }
    }

    static func lunar(_ text: String) throws -> String {
        guard let date = CivilDate(text) else {
            throw UsageError("calendar lunar: expected a solar date YYYY-MM-DD, got \"\(text)\"")
        }
        guard let lunar = LunarCalendar.lunar(from: date) else {
            throw UsageError("calendar lunar: \(text) is outside 1900-01-01…2199-12-31")
        }
        return lunar.description
    }

    static func solar(_ text: String) throws -> String {
        guard let lunar = LunarDate(text) else {
            throw UsageError("calendar solar: expected a lunar date YYYY-MM-DD or YYYY-MML-DD, got \"\(text)\"")
        }
        guard let solar = LunarCalendar.solar(from: lunar) else {
            throw UsageError("calendar solar: there is no lunar date \(text) (no such leap month or day, or outside 1900–2199)")
        }
        return solar.description
    }

    static func add(_ instantText: String, _ durationText: String, applyingCutOff: Bool) throws -> String {
        guard let instant = parseInstant(instantText) else {
            throw UsageError("calendar add: expected an instant YYYY-MM-DDTHH:MM, got \"\(instantText)\"")
        }
        guard let unit = durationText.last, "dh".contains(unit), let amount = Int(durationText.dropLast()),
              amount >= 0, amount <= 10_000, durationText.dropLast().allSatisfy(\.isNumber)
        else {
            throw UsageError("calendar add: expected a duration like 3d or 12h, got \"\(durationText)\"")
        }
        let year = WorkingCalendar.local(instant).0.year
        guard (1901...2198).contains(year) else {
            throw UsageError("calendar add: \(instantText) is outside the years the calendar covers")
        }
        let calendar = try calendar()
        let result = unit == "d"
            ? calendar.adding(workingDays: amount, to: instant, applyingCutOff: applyingCutOff)
            : calendar.adding(workingHours: Double(amount), to: instant, applyingCutOff: applyingCutOff)
        return WorkingCalendar.iso8601(result)
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` in Vietnam time, or with a `Z`/`±HH:MM` offset.
    static func parseInstant(_ text: String) -> Date? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let date = CivilDate(String(parts[0])) else { return nil }
        var time = Substring(parts[1])
        var offset = WorkingCalendar.utcOffsetSeconds
        if time.hasSuffix("Z") {
            offset = 0
            time = time.dropLast()
        } else if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = time[time.index(after: sign)...].split(separator: ":")
            guard zone.count == 2, zone.allSatisfy({ $0.count == 2 }), let h = Int(zone[0]), let m = Int(zone[1]), h <= 14, m < 60
            else { return nil }
            offset = (h * 3600 + m * 60) * (time[sign] == "-" ? -1 : 1)
            time = time[..<sign]
        }
        let fields = time.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
              let hour = Int(fields[0]), let minute = Int(fields[1]), hour < 24, minute < 60
        else { return nil }
        let second = fields.count == 3 ? Int(fields[2])! : 0
        guard second < 60 else { return nil }
        let vietnamSeconds = hour * 3600 + minute * 60 + second + WorkingCalendar.utcOffsetSeconds - offset
        return WorkingCalendar.instant(date, Double(vietnamSeconds))
    }
}
