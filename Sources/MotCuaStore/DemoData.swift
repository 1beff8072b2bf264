import Foundation
import Logging
import MotCuaCore

/// Demo data for `motcua seed --demo` and `serve --demo`: both unit registers and their merges,
/// the agencies of a demo Hà Nội, and about thirty real procedures. Every seeder is idempotent:
/// running it twice leaves the same data.
public enum DemoData {
    typealias Seeder = @Sendable (Database, Logger) async throws -> Int

    static let seeders: [Seeder] = [seedUnits, seedAgencies, seedCatalogue, seedAccounts]

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

    /// The demo password of every demo account: for trying MotCua out, never for a real deployment.
    public static let demoPassword = "MotCua@2026"

    /// One account per role on the demo Hà Nội: a citizen, the city service centre's intake
    /// officer and leader, the Department of Finance's specialist and leader, administrators.
    public static let demoAccounts: [AccountDraft] = [
        AccountDraft(username: "congdan", password: demoPassword, fullName: "Nguyễn Thị Lan", role: .citizen,
                     citizenId: "001190012345", phone: "0912345678", email: "lan.nguyen@example.vn"),
        AccountDraft(username: "tiepnhan.ttpvhcc", password: demoPassword, fullName: "Trần Văn Minh", role: .intakeOfficer,
                     agencies: ["000.00.30.H26"]),
        AccountDraft(username: "lanhdao.ttpvhcc", password: demoPassword, fullName: "Lê Thị Hương", role: .leader,
                     agencies: ["000.00.30.H26"]),
        AccountDraft(username: "chuyenvien.stc", password: demoPassword, fullName: "Phạm Quốc Huy", role: .processingOfficer,
                     agencies: ["000.00.09.H26"]),
        AccountDraft(username: "lanhdao.stc", password: demoPassword, fullName: "Đỗ Minh Tuấn", role: .leader,
                     agencies: ["000.00.09.H26"]),
        AccountDraft(username: "quantri.ttpvhcc", password: demoPassword, fullName: "Vũ Thu Trang", role: .agencyAdmin,
                     agencies: ["000.00.30.H26"]),
        AccountDraft(username: "quantri", password: demoPassword, fullName: "Quản trị hệ thống", role: .systemAdmin),
    ]

    static func seedAccounts(_ database: Database, _ logger: Logger) async throws -> Int {
        let service = AccountService(database: database)
        let administrator = Account(id: "demo-seed", username: "demo-seed", fullName: "Demo", role: .systemAdmin)
        for draft in demoAccounts {
            let exists = try await database.withConnection { db in
                try await AccountRepository.credentials(username: draft.username, in: db) != nil
            }
            if !exists { _ = try await service.register(draft, by: administrator) }
        }
        return demoAccounts.count
    }

    private static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw DatabaseError("demo data \(name).json is missing from the bundle")
        }
        return try Data(contentsOf: url)
    }
}
