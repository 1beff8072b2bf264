import Foundation

extension Migrations {
    /// The all-time rollup rows (`grain` t, `period` 0), from the year rows already kept: with them
    /// a report's sums up to a day read the rows after that day, not the whole history.
    static let m0023AddAllTimeRollups: Migration = {
        let counters = """
            received, received_online_full, received_online_partial, fee_payable, paid_online, digitised, closed,
            resolved_early, resolved_on_time, resolved_late, late_apologised, refused, withdrawn, stopped,
            supplement_requested, overdue_started, overdue_ended, rated, satisfied, processing_minutes
            """
        let sums = counters.split(separator: ",").map { "SUM(\($0.trimmingCharacters(in: .whitespacesAndNewlines)))" }
            .joined(separator: ", ")
        return Migration(
            version: 23, name: "add all-time report rollups",
            both: [
                """
                INSERT INTO report_rollups (grain, period, agency_code, procedure_code, \(counters))
                SELECT 't', 0, agency_code, procedure_code, \(sums)
                FROM report_rollups WHERE grain = 'y' GROUP BY agency_code, procedure_code
                """,
            ])
    }()
}
