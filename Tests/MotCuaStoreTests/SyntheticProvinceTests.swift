import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// The benchmark's synthetic province: realistic mixes, the same for a seed, and rollups equal to
/// a rebuild from the histories it wrote.
@Suite struct SyntheticProvinceTests {
    static let calendar = WorkingCalendar(holidays: try! CalendarData.bundledHolidays.get())
    static let province = SyntheticProvince(
        dossiers: 600, from: WorkingCalendar.instant(CivilDate(year: 2025, month: 1, day: 1)!, 0),
        now: WorkingCalendar.instant(CivilDate(year: 2026, month: 11, day: 20)!, 17 * 3600))

    /// Generated into a database that already holds the catalogue, dossiers follow the process
    /// version stored there, not the demo catalogue's.
    @Test func dossiersFollowTheStoredProcessVersion() async throws {
        try await TestDatabases.withFresh(.sqlite) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let first = try #require(try await Self.province.prepare(database, logger: TestDatabases.logger).first)
            var shorter = first.process.steps
            shorter[0].budgetWorkingHours /= 2
            let steps = shorter
            let published = try await database.transaction { db in
                try await CatalogueRepository.publish(first.procedure.code, steps: steps, validFrom: first.process.validFrom,
                                                      note: "Rút ngắn bước tiếp nhận", in: db)
            }
            let offers = try await Self.province.prepare(database, logger: TestDatabases.logger)
            let again = try #require(offers.first { $0.procedure.code == first.procedure.code })
            #expect(published.version == first.process.version + 1)
            #expect(again.process == published)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSmallProvinceIsRealisticDeterministicAndConsistent(on kind: DatabaseKind) async throws {
        let facts = try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            #expect(try await Self.province.generate(into: database, calendar: Self.calendar, logger: TestDatabases.logger) == 600)
            let repository = ReportRepository(database: database)
            let facts = try await repository.storedFacts().sorted { $0.code < $1.code }
            let outcomes = Dictionary(grouping: facts.compactMap(\.outcome), by: { $0 }).mapValues(\.count)
            // Mostly resolved on time, some late, a few refused; some still open; some online.
            #expect((outcomes[.early] ?? 0) + (outcomes[.onTime] ?? 0) > 400)
            #expect((outcomes[.late] ?? 0) > 5 && (outcomes[.refused] ?? 0) > 0)
            #expect(facts.contains { $0.outcome == nil && $0.receivedDay != nil })
            #expect(facts.filter { $0.online != nil }.count > 150)
            #expect(facts.contains { $0.supplementDay != nil } && facts.contains { $0.ratedDay != nil } && facts.contains { $0.paidOnline })
            #expect(Set(facts.map(\.agency)).count > 50)
            // The rollups written in bulk are what a rebuild from the histories gives.
            let written = try await repository.storedRollups()
            try await repository.rebuild(calendar: Self.calendar)
            #expect(try await repository.storedRollups() == written)
            #expect(try await repository.storedFacts().sorted { $0.code < $1.code } == facts)
            // And the service keeps numbering after the generated dossiers.
            let last = try #require(facts.filter { $0.agency == "UB.00004" }.map(\.code).max())
            let day = String(last.split(separator: "-")[1])
            let code = try await database.transaction { db in
                try await DossierRepository.nextSequence(agency: "UB.00004", day: CivilDate(year: 2000 + Int(day.prefix(2))!,
                    month: Int(day.dropFirst(2).prefix(2))!, day: Int(day.suffix(2))!)!, in: db)
            }
            #expect(code == Int(last.split(separator: "-")[2])! + 1)
            if kind == .postgres {
                // The indexes and foreign keys dropped for the bulk load are all back.
                let (indexes, keys) = try await database.withConnection { db in
                    (try await db.raw("SELECT indexname FROM pg_indexes WHERE tablename IN ('dossiers', 'dossier_events', 'dossier_agencies', 'dossier_facts')")
                        .all(decodingColumn: "indexname", as: String.self),
                     try await db.raw("SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('dossiers', 'dossier_events', 'dossier_agencies', 'dossier_facts')")
                        .all(decodingColumn: "conname", as: String.self))
                }
                #expect(Set(indexes).isSuperset(of: ["dossiers_inbox", "dossiers_applicant", "dossiers_responsible", "dossier_agencies_agency",
                                                     "dossier_facts_received", "dossier_facts_closed", "dossier_facts_officer"]))
                #expect(keys.count == 6)
                #expect(keys.contains("dossiers_process_version_fkey"))
                // Added NOT VALID by its migration, it comes back checked over every loaded row.
                let validated = try await database.withConnection { db in
                    try await db.raw("SELECT convalidated FROM pg_constraint WHERE conname = 'dossiers_process_version_fkey'")
                        .first(decodingColumn: "convalidated", as: Bool.self)
                }
                #expect(validated == true)
            }
            return facts
        }
        // The same seed gives the same province.
        let again = try await TestDatabases.withFresh(.sqlite) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            try await Self.province.generate(into: database, calendar: Self.calendar, logger: TestDatabases.logger)
            return try await ReportRepository(database: database).storedFacts().sorted { $0.code < $1.code }
        }
        #expect(again == facts)
    }
}
