import Foundation
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// A database whose rollups were kept before the all-time rows existed gets them from its year
/// rows, so that its reports still add up after the upgrade.
@Suite struct AllTimeRollupMigrationTests {
    @Test(arguments: TestDatabases.kinds)
    func allTimeRowsAreTheSumOfTheYearRows(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let before = Array(Migrations.all.prefix { $0.version < 23 })
            try await Migrator(database: database, migrations: before).migrate(logger: TestDatabases.logger)
            try await database.withConnection { db in
                for (grain, period, agency, received, closed) in [("y", 2025, "A", 3, 2), ("y", 2026, "A", 4, 0), ("m", 202601, "A", 4, 0),
                                                                  ("d", 20260105, "A", 4, 0), ("y", 2026, "B", 1, 1)] {
                    try await db.insert(into: "report_rollups").columns("grain", "period", "agency_code", "procedure_code", "received", "closed")
                        .values(SQLBind(grain), SQLBind(period), SQLBind(agency), SQLBind("P"), SQLBind(received), SQLBind(closed)).run()
                }
            }
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let stored = try await ReportRepository(database: database).storedRollups()
            let totals = stored.counters.filter { $0.key.grain == .total }
            #expect(totals == [
                RollupKey(grain: .total, period: 0, agency: "A", procedure: "P"): CounterSums([.received: 7, .closed: 2]),
                RollupKey(grain: .total, period: 0, agency: "B", procedure: "P"): CounterSums([.received: 1, .closed: 1]),
            ])
            // Sums up to a day now read the all-time row less what came after the day.
            let input = try await ReportRepository(database: database).inputs(
                ReportScope(), period: .month(2026, 1)!, snapshot: CivilDate(year: 2026, month: 1, day: 31)!)[""]!
            #expect(input.before == CounterSums([.received: 3, .closed: 2]))
            #expect(input.throughSnapshot == CounterSums([.received: 8, .closed: 3]))
        }
    }
}
