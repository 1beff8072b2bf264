import Foundation
import MotCuaCore
import SQLKit

extension ReportService {
    /// The dossiers a request covers for this reader, and the day open dossiers are judged on.
    func resolve(_ request: ReportRequest, _ viewer: Viewer, now: Date) async throws -> (ReportScope, CivilDate) {
        let snapshot = min(request.period.to, CivilDate.of(now))
        return try await database.withConnection { db in
            var agencies = try await Self.readableAgencies(viewer, in: db)
            if let agency = request.agency {
                guard agencies?.contains(agency) ?? true else {
                    throw DossierError("auth.forbidden", "Không được xem báo cáo của cơ quan \(agency)")
                }
                agencies = [agency]
            }
            if let scheme = request.unitScheme, let code = request.unitCode {
                let located = try await Self.agencies(inUnit: code, scheme: scheme, in: db)
                agencies = agencies.map { Array(Set($0).intersection(located)) } ?? Array(located)
            }
            if let officer = request.officer, officer != viewer.actor.id,
               [.intakeOfficer, .processingOfficer].contains(viewer.actor.role) {
                throw DossierError("auth.forbidden", "Cán bộ chỉ xem báo cáo của chính mình")
            }
            var procedures: [String]?
            if request.level != nil || request.field != nil || request.procedure != nil {
                var query = db.select().column("code").from("procedures")
                if let level = request.level { query = query.where("level", .equal, level.rawValue) }
                if let field = request.field { query = query.where("field", .equal, field) }
                if let code = request.procedure { query = query.where("code", .equal, code) }
                procedures = try await query.all(decodingColumn: "code", as: String.self)
            }
            return (ReportScope(agencies: agencies, procedures: procedures, officer: request.officer), snapshot)
        }
    }

    /// The agencies a reader may report on: their own and every agency under them (nil: all).
    static func readableAgencies(_ viewer: Viewer, in db: any SQLDatabase) async throws -> [String]? {
        switch viewer.actor.role {
        case .citizen: throw DossierError("auth.forbidden", "Báo cáo dành cho cán bộ, công chức")
        case .systemAdmin: return nil
        case .intakeOfficer, .processingOfficer, .leader, .agencyAdmin:
            var all = viewer.agencies
            var frontier = Array(viewer.agencies)
            while !frontier.isEmpty {
                let children = try await db.select().column("code").from("agencies").where("parent_code", .in, frontier)
                    .all(decodingColumn: "code", as: String.self)
                frontier = children.filter { all.insert($0).inserted }
            }
            return all.sorted()
        }
    }

    /// The agencies located in a unit or below it. A 2025 unit also takes in the legacy communes
    /// that became part of it, and a 2025 province the legacy districts and provinces of those.
    static func agencies(inUnit code: String, scheme: UnitScheme, in db: any SQLDatabase) async throws -> Set<String> {
        guard let unit = try await db.select().columns("level", "province_code").from("admin_units")
            .where("scheme", .equal, scheme.rawValue).where("code", .equal, code).first()
        else { throw StoreError.notFound("unit \(code)") }
        let level = try unit.decode(column: "level", as: String.self)
        var current: Set<String> = [code]
        if level == UnitLevel.province.rawValue {
            current.formUnion(try await db.select().column("code").from("admin_units").where("scheme", .equal, scheme.rawValue)
                .where("province_code", .equal, code).all(decodingColumn: "code", as: String.self))
        } else if level == UnitLevel.district.rawValue {
            current.formUnion(try await db.select().column("code").from("admin_units").where("scheme", .equal, scheme.rawValue)
                .where("parent_code", .equal, code).all(decodingColumn: "code", as: String.self))
        }
        var legacy: Set<String> = []
        if scheme == .reform2025 {
            let communes = Array(current).sorted()
            let predecessors = try await db.select().distinct().column("legacy_code").from("admin_unit_successors")
                .where("successor_code", .in, communes).all(decodingColumn: "legacy_code", as: String.self)
            legacy.formUnion(predecessors)
            if level == UnitLevel.province.rawValue, !predecessors.isEmpty {
                for row in try await db.select().columns("parent_code", "province_code").from("admin_units")
                    .where("scheme", .equal, UnitScheme.legacy.rawValue).where("code", .in, predecessors).all() {
                    if let parent = try row.decode(column: "parent_code", as: String?.self) { legacy.insert(parent) }
                    legacy.insert(try row.decode(column: "province_code", as: String.self))
                }
            }
        }
        var query = db.select().column("code").from("agencies").where { group in
            group.where { $0.where("unit_scheme", .equal, scheme.rawValue).where("unit_code", .in, Array(current).sorted()) }
        }
        if !legacy.isEmpty {
            query = query.orWhere { $0.where("unit_scheme", .equal, UnitScheme.legacy.rawValue).where("unit_code", .in, Array(legacy).sorted()) }
        }
        return Set(try await query.all(decodingColumn: "code", as: String.self))
    }
}
