import Foundation

/// The holiday rules and yearly notices shipped with MotCua (JSON files in the Core bundle),
/// and the way to read the same documents from elsewhere (a province's own file, later the database).
public enum CalendarData {
    struct RulesDocument: Codable { let rules: [HolidayRule] }
    struct NoticesDocument: Codable { let notices: [YearNotice] }

    public enum LoadError: Error, CustomStringConvertible {
        case missingResource(String)
        case invalid(String, String)

        public var description: String {
            switch self {
            case .missingResource(let name): return "calendar data \(name) is missing from the bundle"
            case .invalid(let name, let reason): return "calendar data \(name) is invalid: \(reason)"
            }
        }
    }

    public static func rules(from data: Data) throws -> [HolidayRule] {
        try decode(RulesDocument.self, data, name: "holiday rules").rules
    }

    /// Notices, each checked to speak only of its own year.
    public static func notices(from data: Data) throws -> [YearNotice] {
        let notices = try decode(NoticesDocument.self, data, name: "notices").notices
        for notice in notices {
            let dates = (notice.tet ?? []) + (notice.daysOff ?? []).map(\.date) + (notice.workingDays ?? []).map(\.date)
                + [notice.nationalDaySecondDay].compactMap { $0 } + (notice.noMakeUpFor ?? [])
            if let stray = dates.first(where: { $0.year != notice.year }) {
                throw LoadError.invalid("notices", "the notice for \(notice.year) names \(stray)")
            }
            if let weekday = (notice.workingDays ?? []).first(where: { !$0.date.isWeekend }) {
                throw LoadError.invalid("notices", "\(weekday.date) is a working day already, not a weekend day")
            }
        }
        return notices
    }

    public static func bundledRules() throws -> [HolidayRule] {
        try rules(from: resource("holiday-rules"))
    }

    public static func bundledNotices() throws -> [YearNotice] {
        try notices(from: resource("notices"))
    }

    /// The working calendar of the shipped rules and notices, built once per process.
    public static let bundledHolidays: Result<HolidayCalendar, any Error> = Result {
        HolidayCalendar(rules: try bundledRules(), notices: try bundledNotices())
    }

    private static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw LoadError.missingResource("\(name).json")
        }
        return try Data(contentsOf: url)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data, name: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw LoadError.invalid(name, describe(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw LoadError.invalid(name, "missing \(key.stringValue) at \(path(context))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw LoadError.invalid(name, describe(context))
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        "\(context.debugDescription) at \(path(context))"
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
