import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

@Suite struct DossierRepositoryTests {
    static let citizen = DossierActor(id: "citizen-1", role: .citizen)
    static let intake = DossierActor(id: "intake-1", role: .intakeOfficer)
    static let agency = "000.01.04.H26"

    static func context(_ database: Database) async throws -> DossierContext {
        let procedure = try #require(try await CatalogueRepository(database: database).find("1.001193"))
        return DossierContext(process: procedure.document.processes.last!, timeLimit: procedure.document.procedure.timeLimit,
                              calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
    }

    /// A working Monday morning.
    static let monday = WorkingCalendar.instant(CivilDate(year: 2026, month: 11, day: 23)!, 9 * 3600)

    /// The demo catalogue in a fresh database, and the context of its procedure 1.001193.
    static func seededContext(_ database: Database) async throws -> DossierContext {
        try await CatalogueRepositoryTests.seeded(database)
        return try await context(database)
    }

    static func submit(_ database: Database, _ context: DossierContext, at instant: Date) async throws -> StoredDossier {
        let (state, event) = try DossierMachine.submit(channel: .online, by: citizen, at: instant, context: context)
        let applicant = Applicant(fullName: "Nguyễn Văn An", citizenId: "001190012345", phone: "0912345678")
        return try await database.transaction { db in
            try await DossierRepository.create(procedureCode: "1.001193", receivingAgency: agency, provinceCode: "01",
                                               applicantAccount: "citizen-1", applicant: applicant, state: state, events: [event], in: db)
        }
    }

    /// A dossier follows a process version that exists, and a version a dossier follows stays.
    @Test(arguments: TestDatabases.kinds)
    func aDossierFollowsAnExistingProcessVersion(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let context = try await Self.seededContext(database)
            let instant = Self.monday
            var (unknownVersion, event) = try DossierMachine.submit(channel: .online, by: Self.citizen, at: instant, context: context)
            unknownVersion.processVersion = 99
            let (state, first) = (unknownVersion, event)
            let applicant = Applicant(fullName: "Nguyễn Văn An", citizenId: "001190012345", phone: "0912345678")
            // SQLite's triggers and PostgreSQL's key (23503) refuse in their own words.
            let refusal = kind == .sqlite ? "FOREIGN KEY constraint failed" : "23503"
            await #expect {
                try await database.transaction { db in
                    try await DossierRepository.create(procedureCode: "1.001193", receivingAgency: Self.agency, provinceCode: "01",
                                                       applicantAccount: "citizen-1", applicant: applicant, state: state,
                                                       events: [first], in: db)
                }
            } throws: { String(reflecting: $0).contains(refusal) }
            let dossier = try await Self.submit(database, context, at: instant)
            let count = try await database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dossiers").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 1)
            for statement: SQLQueryString in [
                "UPDATE dossiers SET process_version = 99 WHERE code = \(bind: dossier.code)",
                "DELETE FROM process_versions WHERE procedure_code = '1.001193'",
                "UPDATE process_versions SET version = 99 WHERE procedure_code = '1.001193' AND version = \(bind: dossier.processVersion)",
            ] {
                await #expect("\(statement)") {
                    try await database.transaction { db in try await db.raw(statement).run() }
                } throws: { String(reflecting: $0).contains(refusal) }
            }
            let versions = try await database.withConnection { db in
                try await db.raw("SELECT process_version FROM dossiers").all(decodingColumn: "process_version", as: Int.self)
            }
            #expect(versions == [dossier.processVersion])
        }
    }

    /// Codes are unique and gap-free per agency and day even when created in parallel.
    @Test(arguments: TestDatabases.kinds)
    func codesUnderConcurrency(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let context = try await Self.seededContext(database)
            let instant = Self.monday
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<30 { group.addTask { try await Self.submit(database, context, at: instant).code } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(codes).count == 30)
            #expect(Set(codes) == Set((1...30).map { String(format: "000.01.04.H26-261123-%04d", $0) }))
            // The next day starts again at 1.
            let tomorrow = try await Self.submit(database, context, at: instant.addingTimeInterval(86_400))
            #expect(tomorrow.code == "000.01.04.H26-261124-0001")
        }
    }

    /// The database itself refuses to rewrite or delete history.
    @Test(arguments: TestDatabases.kinds)
    func historyCannotBeRewritten(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let dossier = try await Self.submit(database, try await Self.context(database), at: Date())
            await #expect(throws: (any Error).self) {
                try await database.withConnection { db in
                    try await db.update("dossier_events").set("reason", to: SQLBind("sửa lịch sử"))
                        .where("dossier_code", .equal, dossier.code).run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await database.withConnection { db in
                    try await db.delete(from: "dossier_events").where("dossier_code", .equal, dossier.code).run()
                }
            }
            #expect(try await DossierRepository(database: database).events(dossier.code).map(\.reason) == [nil])
        }
    }

    /// Officers acting at once on the same version: exactly one succeeds and the others are told
    /// the version moved on (the dossier is locked while read, so none starts from the old one);
    /// the history has the submission and the one act, and a failed command leaves no trace.
    @Test(arguments: TestDatabases.kinds)
    func oneOfConcurrentActsWins(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submitted = try await DossierServiceTests.submitOnline(service)
            let results = await withTaskGroup(of: Result<Int, any Error>.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        await Result(catching: {
                            try await service.act(.accept, on: submitted.code, expectedVersion: 1, by: DossierServiceTests.intake).version
                        })
                    }
                }
                return await group.reduce(into: [Result<Int, any Error>]()) { $0.append($1) }
            }
            #expect(results.filter { (try? $0.get()) == 2 }.count == 1)
            #expect(results.filter { if case .failure(StoreError.staleVersion(current: 2)) = $0 { true } else { false } }.count == 3, "\(results)")
            let stored = try #require(try await DossierRepository(database: database).find(submitted.code))
            #expect(stored.version == 2 && stored.state.status == .accepted && stored.applicant.fullName == "Trần Thị Bình")
            let history = try await DossierRepository(database: database).events(submitted.code)
            #expect(history.map(\.command) == ["submit", "accept"])
        }
    }

    /// A dossier read for a change is read for another change only once the first has ended, so
    /// the second starts from the first's version (PostgreSQL locks the row; SQLite has one writer).
    @Test(arguments: TestDatabases.kinds)
    func aDossierReadForAChangeWaitsForTheChangeBefore(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submitted = try await DossierServiceTests.submitOnline(service)
            let (locked, signal) = AsyncStream.makeStream(of: Void.self)
            let first = Task {
                try await database.transaction { db in
                    let (dossier, fact) = try #require(try await DossierRepository.findForChange(submitted.code, in: db))
                    signal.yield()
                    try await Task.sleep(for: .milliseconds(300))
                    return try await service.apply(.accept, to: dossier, fact: .stored(fact), by: DossierServiceTests.intake,
                                                   at: Date(), in: db).version
                }
            }
            for await _ in locked { break }
            let second = try await database.transaction { db in
                try await DossierRepository.findForChange(submitted.code, in: db)?.dossier.version
            }
            #expect(try await first.value == 2)
            #expect(second == 2, "read after the first change committed, not before it")
        }
    }

    /// The lock a step takes is no stronger than its update needs: a row that refers to the dossier
    /// (its trail here, a file attached elsewhere) may be added while the step holds it.
    @Test(arguments: TestDatabases.kinds.filter { $0 == .postgres })
    func aRowReferringToADossierMayBeAddedWhileAStepHoldsIt(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submitted = try await DossierServiceTests.submitOnline(service)
            let (locked, signal) = AsyncStream.makeStream(of: Void.self)
            let (added, done) = AsyncStream.makeStream(of: Void.self)
            let step = Task {
                try await database.transaction { db in
                    _ = try #require(try await DossierRepository.findForChange(submitted.code, in: db))
                    signal.yield()
                    // Held until the other row is in, or two seconds.
                    _ = await withTaskGroup(of: Void.self) { group in
                        group.addTask { for await _ in added { break } }
                        group.addTask { try? await Task.sleep(for: .seconds(2)) }
                        await group.next()
                        group.cancelAll()
                    }
                }
            }
            for await _ in locked { break }
            let start = ContinuousClock.now
            try await database.transaction { db in try await DossierRepository.recordAgency(DossierServiceTests.finance, of: submitted.code, in: db) }
            let waited = ContinuousClock.now - start
            done.yield()
            try await step.value
            #expect(waited < .seconds(1), "the trail's row waited \(waited) for the step's lock")
        }
    }

    /// A save from a version the dossier has already left fails whole, held writes and all: the
    /// event's number is taken. (`act` reads the version under a lock, so this is a backstop.)
    @Test(arguments: TestDatabases.kinds)
    func aSaveFromAVersionLeftBehindFailsWhole(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submitted = try await DossierServiceTests.submitOnline(service)
            let accepted = try await service.act(.accept, on: submitted.code, expectedVersion: 1, by: DossierServiceTests.intake)
            let event = DossierEvent(command: "forward", actor: DossierServiceTests.intake.actor, at: Date(), fromStatus: .accepted,
                                     toStatus: .processing, reason: nil, data: [:])
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try await db.withDeferredWrites { db in
                        _ = try await DossierRepository.save(submitted.code, expectedVersion: 1, state: accepted.state,
                                                             currentAgency: DossierServiceTests.finance, event: event, in: db)
                    }
                }
            }
            let stored = try #require(try await DossierRepository(database: database).find(submitted.code))
            #expect(stored.version == 2 && stored.currentAgency == DossierServiceTests.centre)
            #expect(try await DossierRepository(database: database).events(submitted.code).map(\.command) == ["submit", "accept"])
            #expect(try await database.withConnection { db in try await DossierRepository.agencies(of: submitted.code, in: db) } == [DossierServiceTests.centre])
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
