import Foundation
import Logging
import MotCuaCore

/// Demo data for `motcua seed --demo` and `serve --demo`: both unit registers and their merges,
/// the agencies of a demo Hà Nội, and about thirty real procedures. Every seeder is idempotent:
/// running it twice leaves the same data.
public enum DemoData {
    typealias Seeder = @Sendable (Database, Logger) async throws -> Int

    static let seeders: [Seeder] = [seedUnits, seedAgencies, seedCatalogue]

    /// Runs every seeder; returns how many records they wrote or checked.
    public static func seed(_ database: Database, logger: Logger) async throws -> Int {
        var total = 0
        for seeder in seeders {
            total += try await seeder(database, logger)
        }
        return total
    }

    static func seedUnits(_ database: Database, _ logger: Logger) async throws -> Int {
        let units = UnitRepository(database: database)
        if try await units.count(.reform2025, level: .commune) == 0 {
            try await units.importUnits(try BundledUnitLists.legacy())
            try await units.importUnits(try BundledUnitLists.reform2025())
            try await units.applyMerges(try BundledUnitLists.merges())
            logger.info("demo: units imported")
        }
        return try await units.count(.reform2025, level: .commune)
    }

    public static func agencies() throws -> [Agency] {
        try JSONDecoder().decode([Agency].self, from: resource("demo-agencies"))
    }

    public static func catalogue() throws -> CatalogueDocument {
        try JSONDecoder().decode(CatalogueDocument.self, from: resource("demo-catalogue"))
    }

    static func seedAgencies(_ database: Database, _ logger: Logger) async throws -> Int {
        let list = try agencies()
        try await database.transaction { db in
            for agency in list where try await AgencyRepository.find(agency.code, in: db) == nil {
                _ = try await AgencyRepository.create(agency, in: db)
            }
        }
        return list.count
    }

    static func seedCatalogue(_ database: Database, _ logger: Logger) async throws -> Int {
        let document = try catalogue()
        try await database.transaction { db in
            for procedure in document.procedures {
                _ = try await CatalogueRepository.importDocument(procedure, in: db)
            }
        }
        return document.procedures.count
    }

    private static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw DatabaseError("demo data \(name).json is missing from the bundle")
        }
        return try Data(contentsOf: url)
    }
}
