import Foundation
import SQLKit

/// The province of each receiving agency, which every submission records. Held for a second, and
/// until the next reference data write in this process (`ReferenceWrites`), as `ProcedureCache`
/// holds procedures: otherwise one statement more in every submission. An agency moved to
/// another province by another server is seen here within that second; a dossier submitted
/// here meanwhile keeps the old province in its record.
final class AgencyProvinces: @unchecked Sendable {
    private struct Entry {
        let province: String?
        let read: HoldingRule.Stamp
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    let rule: HoldingRule

    init(rule: HoldingRule = HoldingRule()) {
        self.rule = rule
    }

    /// The province of the agency's unit (its first two digits when the unit is not in the
    /// register); nil when there is no such agency.
    func province(of agency: String, in db: any SQLDatabase) async throws -> String? {
        let stamp = rule.stamp()
        if let held = lock.withLock({ entries[agency] }), rule.holds(held.read, at: stamp) { return held.province }
        let province = try await Self.read(agency, in: db)
        lock.withLock { entries[agency] = Entry(province: province, read: stamp) }
        return province
    }

    static func read(_ agency: String, in db: any SQLDatabase) async throws -> String? {
        guard let row = try await db.cached("agencies.province", [agency], { db, v in
            db.select().column(SQLColumn("unit_code", table: "agencies")).column(SQLColumn("province_code", table: "admin_units"))
                .from("agencies")
                .join("admin_units", method: SQLJoinMethod.left,
                      on: SQLBinaryExpression(SQLBinaryExpression(SQLColumn("scheme", table: "admin_units"), .equal, SQLColumn("unit_scheme", table: "agencies")),
                                              .and, SQLBinaryExpression(SQLColumn("code", table: "admin_units"), .equal, SQLColumn("unit_code", table: "agencies"))))
                .where(SQLColumn("code", table: "agencies"), .equal, v[0]).limit(1)
        }).first() else { return nil }
        return try row.decode(column: "province_code", as: String?.self) ?? String(try row.decode(column: "unit_code", as: String.self).prefix(2))
    }
}
