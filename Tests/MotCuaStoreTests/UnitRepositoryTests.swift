import Foundation
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

@Suite struct UnitRepositoryTests {
    @Test(arguments: TestDatabases.kinds)
    func bothRegistersAndTheMergesImportAndResolve(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let repository = UnitRepository(database: database)
            // Merges before units: refused, nothing written.
            await #expect(throws: UnitError.self) { try await repository.applyMerges(try BundledUnitLists.merges()) }

            try await repository.importUnits(try BundledUnitLists.legacy())
            try await repository.importUnits(try BundledUnitLists.reform2025())
            // A second import changes nothing.
            try await repository.importUnits(try BundledUnitLists.reform2025())
            #expect(try await repository.count(.reform2025, level: .province) == 34)
            #expect(try await repository.count(.reform2025, level: .commune) == 3321)
            #expect(try await repository.count(.legacy, level: .province) == 63)
            #expect(try await repository.count(.legacy, level: .district) == 696)
            #expect(try await repository.count(.legacy, level: .commune) == 10035)

            #expect(try await repository.applyMerges(try BundledUnitLists.merges()) == 10597)
            #expect(try await repository.applyMerges(try BundledUnitLists.merges()) == 10597)

            // A legacy ward keeps its code and resolves to its successor.
            let legacy = try #require(try await repository.unit(.legacy, code: "00001"))
            #expect(legacy.name == "Phường Phúc Xá")
            let current = try #require(try await repository.currentUnit(.legacy, code: "00001"))
            #expect(current.code == "00097" && current.name == "Phường Hồng Hà" && current.scheme == .reform2025)
            // A split ward: several successors, the default first.
            #expect(try await repository.successors(ofLegacyCommune: "00611").map(\.successorCode) == ["00611", "00091", "00160"])
            #expect(try await repository.legacyPredecessors(ofCommune: "00097").contains("00001"))
            // Same code, two units: 00004 is Trúc Bạch before the reform and Ba Đình after.
            #expect(try await repository.unit(.legacy, code: "00004")?.name == "Phường Trúc Bạch")
            #expect(try await repository.unit(.reform2025, code: "00004")?.name == "Phường Ba Đình")

            let page1 = try await repository.units(.reform2025, level: .commune, parentCode: "01", afterCode: nil, limit: 50)
            let page2 = try await repository.units(.reform2025, level: .commune, parentCode: "01", afterCode: page1.last?.code, limit: 200)
            #expect(page1.count == 50 && page1.count + page2.count == 126)
            #expect(Set(page1.map(\.code)).isDisjoint(with: page2.map(\.code)))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aFailedImportWritesNothing(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let repository = UnitRepository(database: database)
            // Unit 99999 is refused by a trigger, so the last batch fails after the first two were written.
            var units = Array(try BundledUnitLists.reform2025().prefix(900))
            units.append(AdministrativeUnit(scheme: .reform2025, code: "99999", name: "x", type: "Xã", parentCode: "01",
                                            provinceCode: "01", validFrom: nil, validTo: nil))
            try await database.withConnection { db in
                switch kind {
                case .sqlite:
                    try await db.raw("""
                        CREATE TRIGGER reject_99999 BEFORE INSERT ON admin_units WHEN NEW.code = '99999'
                        BEGIN SELECT RAISE(ABORT, 'rejected'); END
                        """).run()
                case .postgres:
                    try await db.raw("CREATE FUNCTION reject_unit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'rejected'; END $$ LANGUAGE plpgsql").run()
                    try await db.raw("""
                        CREATE TRIGGER reject_99999 BEFORE INSERT ON admin_units FOR EACH ROW
                        WHEN (NEW.code = '99999') EXECUTE FUNCTION reject_unit()
                        """).run()
                }
            }
            await #expect(throws: (any Error).self) { try await repository.importUnits(units) }
            #expect(try await repository.count(.reform2025, level: .commune) == 0)
        }
    }
}
