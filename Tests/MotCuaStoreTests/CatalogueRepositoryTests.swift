import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

@Suite struct CatalogueRepositoryTests {
    /// Units of Hà Nội, the demo agencies and the demo catalogue.
    static func seeded(_ database: Database) async throws {
        try await Migrator(database: database).migrate(logger: TestDatabases.logger)
        try await UnitRepository(database: database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
        _ = try await DemoData.seedAgencies(database, TestDatabases.logger)
        _ = try await DemoData.seedCatalogue(database, TestDatabases.logger)
    }

    func search(_ database: Database, _ query: String, _ filters: CatalogueFilters = CatalogueFilters()) async throws -> [String] {
        var filters = filters
        filters.query = query
        return try await CatalogueRepository(database: database).search(filters, offset: 0, limit: 50).map(\.code)
    }

    /// The same answers on both databases: the expected lists are written out, not computed.
    @Test(arguments: TestDatabases.kinds)
    func searchFindsUnaccentedMisorderedAndPartialWords(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.seeded(database)
            let birth = try await search(database, "dang ky khai sinh")
            #expect(birth.first == "1.001193")
            #expect(try await search(database, "ĐĂNG KÝ KHAI SINH") == birth)
            #expect(try await search(database, "Đăng ký khai sinh") == birth)
            #expect(try await search(database, "khai sinh dang ky") == birth)
            #expect(try await search(database, "dang ky khai si") == birth)
            #expect(try await search(database, "ly lich tu phap").first == "3.000333")
            #expect(try await search(database, "giay phep xay dung nha o").first == "1.013225")
            #expect(try await search(database, "zzzz").isEmpty)
            // Filters: only commune-level civil-status procedures.
            let communeCivil = try await search(database, "", CatalogueFilters(field: "Hộ tịch", level: .commune))
            #expect(communeCivil.contains("1.001193") && !communeCivil.contains("3.000333"))
            let police = try await search(database, "", CatalogueFilters(agency: "000.00.25.H26"))
            #expect(police.contains("3.000333") && !police.contains("1.001193"))
            let fullyOnline = try await search(database, "khai sinh", CatalogueFilters(onlineLevel: .full))
            #expect(fullyOnline.allSatisfy { birth.contains($0) })
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func publishingKeepsEveryVersionReadable(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.seeded(database)
            let repository = CatalogueRepository(database: database)
            let before = try #require(try await repository.find("1.001193"))
            let lastVersion = try #require(before.document.processes.last)
            let shorter = Array(lastVersion.steps.dropLast())
            let published = try await database.transaction { db in
                try await CatalogueRepository.publish("1.001193", steps: shorter, validFrom: CivilDate(year: 2026, month: 12, day: 1)!,
                                                      note: "Tái cấu trúc", in: db)
            }
            #expect(published.version == lastVersion.version + 1)
            // The version a running dossier holds is unchanged and still readable.
            #expect(try await repository.processVersion("1.001193", version: lastVersion.version) == lastVersion)
            #expect(try await repository.processVersion("1.001193", version: published.version)?.steps == shorter)
            // The same steps again are not a new version; over the limit is refused with the step named.
            await #expect(throws: StoreError.self) {
                try await database.transaction { db in
                    try await CatalogueRepository.publish("1.001193", steps: shorter, validFrom: CivilDate(year: 2026, month: 12, day: 2)!, note: nil, in: db)
                }
            }
            do {
                _ = try await database.transaction { db in
                    try await CatalogueRepository.publish("1.001193", steps: [
                        ProcessStep(name: "Tiếp nhận", role: .intake, budgetWorkingHours: 2),
                        ProcessStep(name: "Thẩm định", role: .specialist, budgetWorkingHours: 9),
                    ], validFrom: CivilDate(year: 2027, month: 1, day: 1)!, note: nil, in: db)
                }
                Issue.record("a process over its statutory limit was saved")
            } catch StoreError.invalid(let issues) {
                #expect(issues.first?.path == "steps[1].budgetWorkingHours")
                #expect(issues.first?.code == "process.over_statutory_limit")
            }
            #expect(try await repository.find("1.001193")?.document.processes.count == published.version)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func importingTwiceChangesNothingAndPublishedVersionsAreImmutable(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.seeded(database)
            let catalogue = try DemoData.catalogue()
            let outcomes = try await database.transaction { db in
                var outcomes: [ImportOutcome] = []
                for document in catalogue.procedures { outcomes.append(try await CatalogueRepository.importDocument(document, in: db)) }
                return outcomes
            }
            #expect(outcomes.allSatisfy { $0 == .unchanged })
            let exported = try await CatalogueRepository(database: database).allDocuments()
            #expect(exported == catalogue.procedures.sorted { $0.procedure.code < $1.procedure.code })
            #expect(try await CatalogueRepository(database: database).find("1.001193")?.version == 1)

            var rewritten = catalogue.procedures[0]
            rewritten.processes[0].steps[0].budgetWorkingHours += 0.5
            let rewrittenDocument = rewritten
            await #expect(throws: StoreError.self) {
                try await database.transaction { try await CatalogueRepository.importDocument(rewrittenDocument, in: $0) }
            }
            var renamed = catalogue.procedures[0]
            renamed.procedure.description = "Mô tả mới"
            let renamedDocument = renamed
            #expect(try await database.transaction { try await CatalogueRepository.importDocument(renamedDocument, in: $0) } == .updated)
            #expect(try await CatalogueRepository(database: database).find(renamed.procedure.code)?.version == 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func unknownAgenciesAreRefusedWithTheirPaths(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.seeded(database)
            var document = try DemoData.catalogue().procedures[0]
            document.procedure.code = "9.999999"
            document.procedure.receivingAgencies = ["000.99.99.H26"]
            document.processes[0].steps[0].agency = "000.88.88.H26"
            let invalid = document
            do {
                _ = try await database.transaction { try await CatalogueRepository.create(invalid, in: $0) }
                Issue.record("created a procedure with unknown agencies")
            } catch StoreError.invalid(let issues) {
                #expect(issues.map(\.path) == ["receivingAgencies[0]", "processes[0].steps[0].agency"])
            }
            #expect(try await CatalogueRepository(database: database).find("9.999999") == nil)
        }
    }
}
