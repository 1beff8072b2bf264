import Foundation
import MotCuaCore
import SQLKit

/// An agency as stored, with the version a writer must name to change it.
public struct VersionedAgency: Sendable, Equatable {
    public let agency: Agency
    public let version: Int
}

/// Agencies. Writes take the caller's `db` so they can join a larger transaction (idempotency).
public struct AgencyRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func find(_ code: String) async throws -> VersionedAgency? {
        try await database.withConnection { try await Self.find(code, in: $0) }
    }

    public static func find(_ code: String, in db: any SQLDatabase) async throws -> VersionedAgency? {
        try await select(db).where("code", .equal, code).first().map(decode)
    }

    public func list(unitCode: String?, kind: Agency.Kind?, afterCode: String?, limit: Int) async throws -> [VersionedAgency] {
        try await database.withConnection { db in
            var query = Self.select(db)
            if let unitCode { query = query.where("unit_code", .equal, unitCode) }
            if let kind { query = query.where("kind", .equal, kind.rawValue) }
            if let afterCode { query = query.where("code", .greaterThan, afterCode) }
            return try await query.orderBy("code").limit(limit).all().map(Self.decode)
        }
    }

    /// Inserts a new agency (version 1) after checking it and what it refers to.
    public static func create(_ agency: Agency, in db: any SQLDatabase) async throws -> VersionedAgency {
        ReferenceWrites.happened()
        try await check(agency, in: db)
        if try await find(agency.code, in: db) != nil { throw StoreError.duplicate("agency \(agency.code)") }
        try await db.insert(into: "agencies")
            .columns("code", "name", "kind", "unit_scheme", "unit_code", "parent_code", "valid_from", "valid_to", "version", "updated_at")
            .values(SQLBind(agency.code), SQLBind(agency.name), SQLBind(agency.kind.rawValue), SQLBind(agency.unitScheme.rawValue),
                    SQLBind(agency.unitCode), SQLBind(agency.parentCode), SQLBind(agency.validFrom?.description),
                    SQLBind(agency.validTo?.description), SQLBind(1), SQLBind(now()))
            .run()
        return VersionedAgency(agency: agency, version: 1)
    }

    /// Replaces an agency if it is still at `expectedVersion`; the code never changes.
    public static func update(_ agency: Agency, expectedVersion: Int, in db: any SQLDatabase) async throws -> VersionedAgency {
        ReferenceWrites.happened()
        guard let current = try await find(agency.code, in: db) else { throw StoreError.notFound("agency \(agency.code)") }
        guard current.version == expectedVersion else { throw StoreError.staleVersion(current: current.version) }
        try await check(agency, in: db)
        let updated = try await db.update("agencies")
            .set("name", to: SQLBind(agency.name)).set("kind", to: SQLBind(agency.kind.rawValue))
            .set("unit_scheme", to: SQLBind(agency.unitScheme.rawValue)).set("unit_code", to: SQLBind(agency.unitCode))
            .set("parent_code", to: SQLBind(agency.parentCode)).set("valid_from", to: SQLBind(agency.validFrom?.description))
            .set("valid_to", to: SQLBind(agency.validTo?.description)).set("version", to: SQLBind(expectedVersion + 1))
            .set("updated_at", to: SQLBind(now()))
            .where("code", .equal, agency.code).where("version", .equal, expectedVersion)
            .returning("version").all()
        // Another writer got in between the read and the update.
        guard updated.count == 1 else {
            throw StoreError.staleVersion(current: try await find(agency.code, in: db)?.version ?? expectedVersion + 1)
        }
        return VersionedAgency(agency: agency, version: expectedVersion + 1)
    }

    /// Removes an agency created by mistake, at the version read. One that procedures or other
    /// agencies refer to is kept (close it with `validTo` instead), so no reference is ever broken.
    public static func delete(_ code: String, expectedVersion: Int, in db: any SQLDatabase) async throws {
        ReferenceWrites.happened()
        guard let current = try await find(code, in: db) else { throw StoreError.notFound("agency \(code)") }
        guard current.version == expectedVersion else { throw StoreError.staleVersion(current: current.version) }
        let children = try await db.select().column("code").from("agencies").where("parent_code", .equal, code).limit(1).all()
        let procedures = try await db.select().column("procedure_code").from("procedure_agencies")
            .where("agency_code", .equal, code).limit(1).all()
        guard children.isEmpty, procedures.isEmpty else {
            throw StoreError.inUse("Cơ quan \(code) đang được thủ tục hoặc cơ quan khác tham chiếu; hãy đặt ngày hết hiệu lực (validTo)")
        }
        try await db.delete(from: "agencies").where("code", .equal, code).where("version", .equal, expectedVersion).run()
    }

    /// References must exist: the unit in its register, the parent agency, and no cycle of parents.
    static func check(_ agency: Agency, in db: any SQLDatabase) async throws {
        do {
            try agency.validate()
        } catch let error as ValidationError {
            throw StoreError.invalid(error.issues)
        }
        var issues: [FieldIssue] = []
        let unitExists = try await db.select().column("code").from("admin_units")
            .where("scheme", .equal, agency.unitScheme.rawValue).where("code", .equal, agency.unitCode).first() != nil
        if !unitExists {
            issues.append(FieldIssue("unitCode", "unit.unknown",
                                     "Không có đơn vị hành chính mã \(agency.unitCode) trong danh mục \(agency.unitScheme.rawValue)"))
        }
        var parent = agency.parentCode
        var seen: Set<String> = [agency.code]
        while let code = parent {
            guard let found = try await find(code, in: db) else {
                if code == agency.parentCode { issues.append(FieldIssue("parentCode", "agency.unknown", "Không có cơ quan mã \(code)")) }
                break
            }
            if seen.contains(code) {
                issues.append(FieldIssue("parentCode", "cycle", "Cơ quan cấp trên tạo thành vòng lặp"))
                break
            }
            seen.insert(code)
            parent = found.agency.parentCode
        }
        if !issues.isEmpty { throw StoreError.invalid(issues) }
    }

    static func select(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("code", "name", "kind", "unit_scheme", "unit_code", "parent_code", "valid_from", "valid_to", "version")
            .from("agencies")
    }

    static func decode(_ row: any SQLRow) throws -> VersionedAgency {
        VersionedAgency(
            agency: Agency(
                code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                kind: Agency.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                unitScheme: UnitScheme(rawValue: try row.decode(column: "unit_scheme", as: String.self)) ?? .reform2025,
                unitCode: try row.decode(column: "unit_code", as: String.self),
                parentCode: try row.decode(column: "parent_code", as: String?.self),
                validFrom: try row.decode(column: "valid_from", as: String?.self).flatMap(CivilDate.init),
                validTo: try row.decode(column: "valid_to", as: String?.self).flatMap(CivilDate.init)),
            version: try row.decode(column: "version", as: Int.self))
    }
}

