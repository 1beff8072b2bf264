extension Migrations {
    /// The processing-time histogram (half working days) of resolved dossiers, on the same keys as
    /// `report_rollups`, for the 90th percentile.
    static let m0022CreateReportDurations = Migration(
        version: 22, name: "create report_durations",
        both: [
            """
            CREATE TABLE report_durations (
                grain TEXT NOT NULL,
                period INTEGER NOT NULL,
                agency_code TEXT NOT NULL,
                procedure_code TEXT NOT NULL,
                bucket INTEGER NOT NULL,
                dossiers BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (grain, period, agency_code, procedure_code, bucket)
            )
            """,
        ])
}
