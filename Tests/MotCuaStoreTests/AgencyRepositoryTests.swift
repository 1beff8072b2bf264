import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

@Suite struct AgencyRepositoryTests {
    static func prepare(_ database: Database) async throws {
        try await Migrator(database: database).migrate(logger: TestDatabases.logger)
        try await UnitRepository(database: database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
    }

    @Test(arguments: TestDatabases.kinds)
    func createUpdateAndStaleVersions(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.prepare(database)
            let centre = Agency(code: "000.00.30.H26", name: "Trung tâm Phục vụ hành chính công Thành phố Hà Nội", kind: .serviceCentre, unitCode: "01")
            let created = try await database.transaction { try await AgencyRepository.create(centre, in: $0) }
            #expect(created.version == 1)
            await #expect(throws: StoreError.duplicate("agency 000.00.30.H26")) {
                try await database.transaction { try await AgencyRepository.create(centre, in: $0) }
            }
            let renamed = { var a = centre; a.name = "Trung tâm Phục vụ hành chính công Hà Nội"; return a }()
            let updated = try await database.transaction { try await AgencyRepository.update(renamed, expectedVersion: 1, in: $0) }
            #expect(updated.version == 2)
            // A second writer who read version 1 is refused and told the current version.
            await #expect(throws: StoreError.staleVersion(current: 2)) {
                try await database.transaction { try await AgencyRepository.update(centre, expectedVersion: 1, in: $0) }
            }
            #expect(try await AgencyRepository(database: database).find(centre.code)?.agency.name == renamed.name)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func referencesAreChecked(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.prepare(database)
            let orphan = Agency(code: "000.00.05.H26", name: "Sở Tư pháp", kind: .department, unitCode: "99", parentCode: "000.00.00.H26")
            do {
                _ = try await database.transaction { try await AgencyRepository.create(orphan, in: $0) }
                Issue.record("created an agency with unknown references")
            } catch StoreError.invalid(let issues) {
                #expect(issues.map(\.path) == ["unitCode", "parentCode"])
                #expect(issues.map(\.code) == ["unit.unknown", "agency.unknown"])
            }
            #expect(try await AgencyRepository(database: database).list(unitCode: nil, kind: nil, afterCode: nil, limit: 10).isEmpty)
            // A cycle of parents is refused.
            let a = Agency(code: "A", name: "A", kind: .other, unitCode: "01")
            _ = try await database.transaction { try await AgencyRepository.create(a, in: $0) }
            _ = try await database.transaction { try await AgencyRepository.create(Agency(code: "B", name: "B", kind: .other, unitCode: "01", parentCode: "A"), in: $0) }
            let cyclic = { var c = a; c.parentCode = "B"; return c }()
            await #expect(throws: StoreError.self) {
                try await database.transaction { try await AgencyRepository.update(cyclic, expectedVersion: 1, in: $0) }
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func idempotencyKeysReplayAndRefuseReuse(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Self.prepare(database)
            let request = Idempotency.Request(scope: "test", key: "k-1", requestHash: "abc")
            let response = Idempotency.StoredResponse(status: 201, body: #"{"ok":true}"#)
            try await database.transaction { try await Idempotency.record(request, response, in: $0) }
            #expect(try await database.withConnection { try await Idempotency.lookup(request, in: $0) } == response)
            await #expect(throws: StoreError.idempotencyKeyReused) {
                try await database.withConnection {
                    try await Idempotency.lookup(Idempotency.Request(scope: "test", key: "k-1", requestHash: "other"), in: $0)
                }
            }
        }
    }
}
