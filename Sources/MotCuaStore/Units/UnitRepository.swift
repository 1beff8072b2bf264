import Foundation
import MotCuaCore
import SQLKit

public enum UnitError: Error, CustomStringConvertible, Equatable {
    /// Merges name communes that are not in the registers: import the units first.
    case unknownCodes(legacy: [String], successors: [String])

    public var description: String {
        switch self {
        case .unknownCodes(let legacy, let successors):
            return "the merge list names communes that are not imported (legacy: \(legacy.prefix(5).joined(separator: ", "))"
                + "\(legacy.count > 5 ? "…" : ""); 2025: \(successors.prefix(5).joined(separator: ", "))\(successors.count > 5 ? "…" : "")): run `motcua units import` first"
        }
    }
}

/// The two unit registers and the 2025 succession between them.
public struct UnitRepository: Sendable {
    public let database: Database
    static let batchSize = 400

    public init(database: Database) {
        self.database = database
    }

    /// Inserts or updates every unit, all or nothing; importing the same list twice changes nothing.
    /// Returns how many units were written.
    @discardableResult
    public func importUnits(_ units: [AdministrativeUnit]) async throws -> Int {
        try await database.transaction { db in
            ReferenceWrites.happened()
            for batch in stride(from: 0, to: units.count, by: Self.batchSize).map({ units[$0..<min($0 + Self.batchSize, units.count)] }) {
                var insert = db.insert(into: "admin_units")
                    .columns("scheme", "code", "level", "name", "unit_type", "parent_code", "province_code", "valid_from", "valid_to")
                for unit in batch {
                    insert = insert.values(
                        SQLBind(unit.scheme.rawValue), SQLBind(unit.code), SQLBind(unit.level.rawValue), SQLBind(unit.name),
                        SQLBind(unit.type), SQLBind(unit.parentCode), SQLBind(unit.provinceCode),
                        SQLBind(unit.validFrom?.description), SQLBind(unit.validTo?.description))
                }
                try await insert.onConflict(with: ["scheme", "code"]) {
                    $0.set(excludedValueOf: "level").set(excludedValueOf: "name").set(excludedValueOf: "unit_type")
                        .set(excludedValueOf: "parent_code").set(excludedValueOf: "province_code")
                        .set(excludedValueOf: "valid_from").set(excludedValueOf: "valid_to")
                }.run()
            }
            return units.count
        }
    }

    /// Records the 2025 succession, all or nothing, after checking that every code it names is
    /// in the registers. Nothing is deleted: a legacy commune keeps its code and gains successors.
    @discardableResult
    public func applyMerges(_ merges: [UnitSuccession]) async throws -> Int {
        try await database.transaction { db in
            let legacy = Set(try await codes(in: .legacy, level: .commune, db))
            let current = Set(try await codes(in: .reform2025, level: .commune, db))
            let unknownLegacy = Set(merges.map(\.legacyCode)).subtracting(legacy).sorted()
            let unknownCurrent = Set(merges.map(\.successorCode)).subtracting(current).sorted()
            guard unknownLegacy.isEmpty, unknownCurrent.isEmpty else {
                throw UnitError.unknownCodes(legacy: unknownLegacy, successors: unknownCurrent)
            }
            for start in stride(from: 0, to: merges.count, by: Self.batchSize) {
                var insert = db.insert(into: "admin_unit_successors").columns("legacy_code", "successor_code", "is_default")
                for merge in merges[start..<min(start + Self.batchSize, merges.count)] {
                    insert = insert.values(SQLBind(merge.legacyCode), SQLBind(merge.successorCode), SQLBind(merge.isDefault ? 1 : 0))
                }
                try await insert.onConflict(with: ["legacy_code", "successor_code"]) { $0.set(excludedValueOf: "is_default") }.run()
            }
            return merges.count
        }
    }

    public func unit(_ scheme: UnitScheme, code: String) async throws -> AdministrativeUnit? {
        try await database.withConnection { db in
            try await Self.selectUnits(db).where("scheme", .equal, scheme.rawValue).where("code", .equal, code)
                .first().map(Self.decode)
        }
    }

    /// Units of a scheme, filtered by level and parent, in code order, after `afterCode` (keyset paging).
    public func units(_ scheme: UnitScheme, level: UnitLevel?, parentCode: String?, afterCode: String?, limit: Int) async throws -> [AdministrativeUnit] {
        try await database.withConnection { db in
            var query = Self.selectUnits(db).where("scheme", .equal, scheme.rawValue)
            if let level { query = query.where("level", .equal, level.rawValue) }
            if let parentCode { query = query.where("parent_code", .equal, parentCode) }
            if let afterCode { query = query.where("code", .greaterThan, afterCode) }
            return try await query.orderBy("code").limit(limit).all().map(Self.decode)
        }
    }

    public func count(_ scheme: UnitScheme, level: UnitLevel) async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admin_units")
                .where("scheme", .equal, scheme.rawValue).where("level", .equal, level.rawValue)
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    /// The 2025 communes a legacy commune became, the default first.
    public func successors(ofLegacyCommune code: String) async throws -> [UnitSuccession] {
        try await database.withConnection { db in
            try await db.select().columns("legacy_code", "successor_code", "is_default").from("admin_unit_successors")
                .where("legacy_code", .equal, code)
                .orderBy("is_default", .descending).orderBy("successor_code")
                .all().map { row in
                    UnitSuccession(legacyCode: try row.decode(column: "legacy_code", as: String.self),
                                   successorCode: try row.decode(column: "successor_code", as: String.self),
                                   isDefault: try row.decode(column: "is_default", as: Int.self) == 1)
                }
        }
    }

    /// The 2025 unit a unit of either register counts under today: itself if current; a legacy
    /// commune's default successor; for a legacy district or province, nothing single (nil).
    public func currentUnit(_ scheme: UnitScheme, code: String) async throws -> AdministrativeUnit? {
        if scheme == .reform2025 { return try await unit(.reform2025, code: code) }
        guard UnitLevel(code: code) == .commune,
              let successor = try await successors(ofLegacyCommune: code).first(where: \.isDefault)
        else { return nil }
        return try await unit(.reform2025, code: successor.successorCode)
    }

    /// Every legacy commune that became (wholly or partly) this 2025 commune: what a report for
    /// the 2025 commune must also count.
    public func legacyPredecessors(ofCommune code: String) async throws -> [String] {
        try await database.withConnection { db in
            try await db.select().column("legacy_code").from("admin_unit_successors")
                .where("successor_code", .equal, code).orderBy("legacy_code")
                .all(decodingColumn: "legacy_code", as: String.self)
        }
    }

    private func codes(in scheme: UnitScheme, level: UnitLevel, _ db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("code").from("admin_units")
            .where("scheme", .equal, scheme.rawValue).where("level", .equal, level.rawValue)
            .all(decodingColumn: "code", as: String.self)
    }

    static func selectUnits(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("scheme", "code", "name", "unit_type", "parent_code", "province_code", "valid_from", "valid_to")
            .from("admin_units")
    }

    static func decode(_ row: any SQLRow) throws -> AdministrativeUnit {
        AdministrativeUnit(
            scheme: UnitScheme(rawValue: try row.decode(column: "scheme", as: String.self)) ?? .reform2025,
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            type: try row.decode(column: "unit_type", as: String.self),
            parentCode: try row.decode(column: "parent_code", as: String?.self),
            provinceCode: try row.decode(column: "province_code", as: String.self),
            validFrom: try row.decode(column: "valid_from", as: String?.self).flatMap(CivilDate.init),
            validTo: try row.decode(column: "valid_to", as: String?.self).flatMap(CivilDate.init))
    }
}

/// The official lists shipped with MotCua (copies of `shared/data/admin-units`).
public enum BundledUnitLists {
    public static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv") else {
            throw DatabaseError("the unit list \(name).csv is missing from the bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    public static func reform2025() throws -> [AdministrativeUnit] { try UnitListParser.reform2025(text("units-2025")) }
    public static func legacy() throws -> [AdministrativeUnit] { try UnitListParser.legacy(text("units-legacy-2024")) }
    public static func merges() throws -> [UnitSuccession] { try UnitListParser.merges(text("ward-merges-2025")) }
}
