import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// Submissions take the receiving agency's province from a copy held for a second.
@Suite struct AgencyProvincesTests {
    @Test(arguments: TestDatabases.kinds)
    func aMoveElsewhereIsSeenWithinTheHoldingTime(on kind: DatabaseKind) async throws {
        try await TestClock.withSeededDatabase(kind) { database, clock in
            let provinces = AgencyProvinces(rule: clock.rule)
            let agency = DossierServiceTests.centre
            let province = { try await database.withConnection { db in try await provinces.province(of: agency, in: db) } }
            let before = try #require(try await province())
            #expect(try await province() == before)
            let (home, elsewhere) = try await database.withConnection { db in
                let home = try #require(try await db.raw("SELECT unit_scheme, unit_code FROM agencies WHERE code = \(bind: agency)").first())
                // A unit of another province, as a copy of the agency's own unit.
                try await db.raw("""
                    INSERT INTO admin_units (scheme, code, level, name, unit_type, parent_code, province_code, valid_from, valid_to)
                    SELECT scheme, 'T99', level, name, unit_type, NULL, 'T9', valid_from, valid_to FROM admin_units
                    WHERE scheme = (SELECT unit_scheme FROM agencies WHERE code = \(bind: agency))
                    AND code = (SELECT unit_code FROM agencies WHERE code = \(bind: agency))
                    """).run()
                let other = try #require(try await db.raw("SELECT scheme, code, province_code FROM admin_units WHERE code = 'T99'").first())
                return ((try home.decode(column: "unit_scheme", as: String.self), try home.decode(column: "unit_code", as: String.self)),
                        (try other.decode(column: "scheme", as: String.self), try other.decode(column: "code", as: String.self),
                         try other.decode(column: "province_code", as: String.self)))
            }
            let move = { (scheme: String, code: String) in
                try await database.withConnection { db in
                    try await db.raw("UPDATE agencies SET unit_scheme = \(bind: scheme), unit_code = \(bind: code) WHERE code = \(bind: agency)").run()
                }
            }
            // Another process moves the agency to a unit of another province.
            try await move(elsewhere.0, elsewhere.1)
            clock.advance(.milliseconds(900))
            #expect(try await province() == before)
            clock.advance(.milliseconds(200))
            #expect(try await province() == elsewhere.2)
            // Moved back by this process: seen at once.
            try await move(home.0, home.1)
            clock.wrote()
            #expect(try await province() == before)
            #expect(try await database.withConnection { db in try await provinces.province(of: "no-such-agency", in: db) } == nil)
        }
    }
}

/// The rules above, wired: writes through the repositories reach the held copies at once.
@Suite struct ReferenceWritesTests {
    @Test(arguments: TestDatabases.kinds)
    func anAgencyMovedThroughItsRepositoryIsSeenByTheNextSubmission(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let service = try await DossierServiceTests.seededService(database)
            let submit = { try await DossierServiceTests.submitOnline(service) }
            let first = try await submit()
            let stored = try #require(try await AgencyRepository(database: database).find(DossierServiceTests.centre))
            try await database.withConnection { db in
                try await db.raw("""
                    INSERT INTO admin_units (scheme, code, level, name, unit_type, parent_code, province_code, valid_from, valid_to)
                    SELECT scheme, '99999', level, name, unit_type, NULL, '99', valid_from, valid_to FROM admin_units
                    WHERE scheme = \(bind: stored.agency.unitScheme.rawValue) AND code = \(bind: stored.agency.unitCode)
                    """).run()
            }
            var moved = stored.agency
            moved.unitCode = "99999"
            let agency = moved
            _ = try await database.transaction { db in try await AgencyRepository.update(agency, expectedVersion: stored.version, in: db) }
            let second = try await submit()
            #expect(first.provinceCode != "99" && second.provinceCode == "99")
        }
    }

    /// A transaction that wrote reference data counts again when it ends, committed or not, so
    /// that what was read while it was open is read again.
    @Test(arguments: TestDatabases.kinds)
    func aTransactionThatWroteReferenceDataCountsAgainWhenItEnds(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            var before = ReferenceWrites.generation(of: .reference)
            try await database.transaction { _ in ReferenceWrites.happened() }
            #expect(ReferenceWrites.generation(of: .reference) >= before + 2)
            before = ReferenceWrites.generation(of: .reference)
            await #expect(throws: StoreError.self) {
                try await database.transaction { _ in
                    ReferenceWrites.happened()
                    throw StoreError.notFound("x")
                }
            }
            #expect(ReferenceWrites.generation(of: .reference) >= before + 2)
        }
    }
}
