import Foundation
import MotCuaCore
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// The dossier commands keep decoded procedures between requests; a published process version
/// or a changed procedure must reach the next submission all the same.
@Suite struct ProcedureCacheTests {
    @Test(arguments: TestDatabases.kinds)
    func submissionsFollowCatalogueChanges(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
            let applicant = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678")
            func submit() async throws -> StoredDossier {
                try await service.submit(procedureCode: "2.001583", channel: .online, receivingAgency: DossierServiceTests.centre,
                                         applicant: applicant, by: DossierServiceTests.citizen)
            }
            let repository = CatalogueRepository(database: database)
            let before = try #require(try await repository.find("2.001583"))
            let first = try await submit()
            #expect(first.processVersion == before.document.processes.last?.version)
            // A new process version is taken by the next dossier, not the cached one.
            let steps = Array(try #require(before.document.processes.last).steps.dropLast())
            let published = try await database.transaction { db in
                try await CatalogueRepository.publish("2.001583", steps: steps, validFrom: CivilDate(year: 2026, month: 1, day: 1)!,
                                                      note: "Tái cấu trúc", in: db)
            }
            let second = try await submit()
            #expect(second.processVersion == published.version && second.processVersion == first.processVersion + 1)
            // Each dossier's answer shows the process it follows, the held one as much as the new one.
            #expect(try await service.process(of: first) == before.document.processes.last)
            #expect(try await service.process(of: second) == published && published.steps.count == steps.count)
            // So is a changed procedure: it no longer takes online submissions.
            var changed = before.document.procedure
            changed.channels = changed.channels.filter { $0 != .online }
            changed.onlineLevel = Procedure.OnlineLevel(rawValue: "none")!
            let procedure = changed
            _ = try await database.transaction { db in
                try await CatalogueRepository.update(procedure, expectedVersion: before.version, in: db)
            }
            await #expect(throws: DossierError.self) { _ = try await submit() }
        }
    }
}
