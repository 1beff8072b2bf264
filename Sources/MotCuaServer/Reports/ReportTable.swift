import Foundation
import MotCuaCore
import MotCuaStore

/// A report laid out as the official tables are: one row per agency or procedure (or one for the
/// whole scope) and a total, in Vietnamese. The screen, CSV and XLSX all print this, so they
/// show the same numbers.
struct ReportTable {
    enum Cell: Equatable {
        case text(String)
        case count(Int)
        /// A rate in percent or a duration in days, rounded for reading; nil prints as empty.
        case decimal(Double?)
    }

    static let rates: [(label: String, value: @Sendable (ReportFigures) -> Double?)] = [
        ("Tỷ lệ đúng hạn (%)", { $0.onTimeShare.map { $0 * 100 } }),
        ("Tỷ lệ trực tuyến (%)", { $0.onlineShare.map { $0 * 100 } }),
        ("Tỷ lệ thanh toán trực tuyến (%)", { $0.onlinePaymentShare.map { $0 * 100 } }),
        ("Tỷ lệ số hóa (%)", { $0.digitisedShare.map { $0 * 100 } }),
        ("Tỷ lệ hài lòng (%)", { $0.satisfactionShare.map { $0 * 100 } }),
        ("Thời gian xử lý trung bình (ngày làm việc)", { $0.averageWorkingDays }),
        ("Thời gian xử lý P90 (ngày làm việc)", { $0.p90WorkingDays }),
    ]

    let headers: [String]
    let rows: [[Cell]]

    init(headers: [String], rows: [[Cell]]) {
        self.headers = headers
        self.rows = rows
    }

    init(_ report: Report, breakdown: ReportBreakdown?, names: [String: String]) {
        let first = breakdown == .agency ? "Cơ quan" : breakdown == .procedure ? "Thủ tục" : "Phạm vi"
        headers = [first] + ReportFigures.Count.allCases.map(\.label) + Self.rates.map(\.label)
        func row(_ label: String, _ figures: ReportFigures) -> [Cell] {
            [.text(label)] + ReportFigures.Count.allCases.map { .count(figures[$0]) } + Self.rates.map { .decimal($0.value(figures)) }
        }
        rows = report.rows.map { entry in row(names[entry.key].map { "\($0) (\(entry.key))" } ?? entry.key, entry.figures) }
            + [row("Tổng cộng", report.total)]
    }

    /// One decimal place, the way the tables print rates and days.
    static func rounded(_ value: Double) -> String { String(format: "%.1f", value) }
}
