import Foundation
@testable import MotCuaCore

enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    struct MonthRow: Hashable, CustomStringConvertible {
        let year: Int, month: Int, isLeap: Bool, start: CivilDate, length: Int
        var description: String { "\(year)/\(month)\(isLeap ? "L" : "") from \(start) (\(length) days)" }
    }

    static func months(_ name: String) throws -> [MonthRow] {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return MonthRow(year: Int(f[0])!, month: Int(f[1])!, isLeap: f[2] == "1", start: CivilDate(f[3])!, length: Int(f[4])!)
        }
    }
}

extension CivilDate {
    init(_ y: Int, _ m: Int, _ d: Int) { self.init(year: y, month: m, day: d)! }
}

/// An instant given as Vietnamese wall-clock time.
func vn(_ y: Int, _ m: Int, _ d: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    WorkingCalendar.instant(CivilDate(y, m, d), Double(hour * 3600 + minute * 60))
}
