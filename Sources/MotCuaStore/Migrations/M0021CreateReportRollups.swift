extension Migrations {
    /// The sums of every dossier fact's contributions, per receiving agency and procedure, for
    /// each day, month and year (`grain` d/m/y, `period` yyyymmdd/yyyymm/yyyy): a year report
    /// reads one row per agency and procedure. Columns are `ReportCounter`s.
    static let m0021CreateReportRollups = Migration(
        version: 21, name: "create report_rollups",
        both: [
            """
            CREATE TABLE report_rollups (
                grain TEXT NOT NULL,
                period INTEGER NOT NULL,
                agency_code TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                received BIGINT NOT NULL DEFAULT 0,
                received_online_full BIGINT NOT NULL DEFAULT 0,
                received_online_partial BIGINT NOT NULL DEFAULT 0,
                fee_payable BIGINT NOT NULL DEFAULT 0,
                paid_online BIGINT NOT NULL DEFAULT 0,
                digitised BIGINT NOT NULL DEFAULT 0,
                closed BIGINT NOT NULL DEFAULT 0,
                resolved_early BIGINT NOT NULL DEFAULT 0,
                resolved_on_time BIGINT NOT NULL DEFAULT 0,
                resolved_late BIGINT NOT NULL DEFAULT 0,
                late_apologised BIGINT NOT NULL DEFAULT 0,
                refused BIGINT NOT NULL DEFAULT 0,
                withdrawn BIGINT NOT NULL DEFAULT 0,
                stopped BIGINT NOT NULL DEFAULT 0,
                supplement_requested BIGINT NOT NULL DEFAULT 0,
                overdue_started BIGINT NOT NULL DEFAULT 0,
                overdue_ended BIGINT NOT NULL DEFAULT 0,
                rated BIGINT NOT NULL DEFAULT 0,
                satisfied BIGINT NOT NULL DEFAULT 0,
                processing_minutes BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, period, agency_code, procedure_code)
            )
            """,
        ])
}
