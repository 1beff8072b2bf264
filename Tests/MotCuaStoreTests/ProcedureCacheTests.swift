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
            let service = try await DossierServiceTests.seededService(database)
            let applicant = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678")
            func submit() async throws -> StoredDossier { try await DossierServiceTests.submitOnline(service, applicant: applicant) }
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

    /// A change from another process (here, straight SQL) is seen once the held copy is older
    /// than the holding rule's second; one made through the catalogue in this process, at once.
    /// (The test counts its own catalogue writes: other tests write catalogues in this process meanwhile.)
    @Test(arguments: TestDatabases.kinds)
    func changesElsewhereAreSeenWithinTheRecheckTime(on kind: DatabaseKind) async throws {
        try await TestClock.withSeededDatabase(kind) { database, clock in
            let cache = ProcedureCache(rule: clock.rule)
            let name = { try await database.withConnection { db in try #require(try await cache.find("2.001583", in: db)).document.procedure.name } }
            let stored = try #require(try await CatalogueRepository(database: database).find("2.001583"))
            let before = try await name()
            // Another process renames it.
            var renamed = stored.document.procedure
            renamed.name = before + " (đã sửa)"
            let document = try StoredJSON.text(renamed)
            try await database.withConnection { db in
                try await db.raw("UPDATE procedures SET document = \(bind: document), version = version + 1 WHERE code = '2.001583'").run()
            }
            clock.advance(.milliseconds(900))
            #expect(try await name() == before)
            clock.advance(.milliseconds(200))
            #expect(try await name() == renamed.name)
            // This process renames it again, through the catalogue: seen at once.
            var again = renamed
            again.name = before + " (sửa lần hai)"
            let procedure = again
            _ = try await database.transaction { db in
                try await CatalogueRepository.update(procedure, expectedVersion: stored.version + 1, in: db)
            }
            clock.wrote()
            #expect(try await name() == again.name)
        }
    }

    /// A step on a dossier of a process version published by another server within the second
    /// finds that version: the held copy is checked at once.
    @Test(arguments: TestDatabases.kinds)
    func aNewerProcessVersionIsFoundAtOnce(on kind: DatabaseKind) async throws {
        try await TestClock.withSeededDatabase(kind) { database, clock in
            // Its own count of writes: the publication below is, to this cache, another server's.
            let cache = ProcedureCache(rule: clock.rule)
            let latest = { (version: Int?) in
                try await database.withConnection { db in
                    try #require(try await cache.find("2.001583", having: version, in: db)).document.processes.last!.version
                }
            }
            let held = try await latest(nil)
            let steps = Array(try #require(try await CatalogueRepository(database: database).find("2.001583")).document.processes.last!.steps.dropLast())
            _ = try await database.transaction { db in
                try await CatalogueRepository.publish("2.001583", steps: steps, validFrom: CivilDate(year: 2026, month: 3, day: 1)!,
                                                      note: nil, in: db)
            }
            #expect(try await latest(nil) == held)
            #expect(try await latest(held) == held)
            #expect(try await latest(held + 1) == held + 1)
        }
    }
}

/// A clock, and a count of catalogue writes, that the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: Duration = .zero
    private let start = ContinuousClock.now

    private var written = 0

    var now: ContinuousClock.Instant { lock.withLock { start + offset } }
    var writes: Int { lock.withLock { written } }

    /// Held for a second by this clock and this count of writes.
    var rule: HoldingRule { HoldingRule(keepFor: .seconds(1), now: { self.now }, writes: { self.writes }) }

    func advance(_ by: Duration) { lock.withLock { offset += by } }
    func wrote() { lock.withLock { written += 1 } }
}

extension TestClock {
    /// A fresh database with the demo catalogue, and a clock for the copies held of it.
    static func withSeededDatabase(_ kind: DatabaseKind, _ body: (Database, TestClock) async throws -> Void) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            try await body(database, TestClock())
        }
    }
}
