import Foundation
import MotCuaStore
import SQLKit

/// The names of agencies and procedures, for rows that carry only codes.
enum ReportNames {
    static func of(_ codes: [String], table: String, in database: Database) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        return try await database.withConnection { db in
            var names: [String: String] = [:]
            for row in try await db.select().columns("code", "name").from(table).where("code", .in, codes).all() {
                names[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
    }

    static func rows(_ report: Report, _ breakdown: ReportBreakdown?, in database: Database) async throws -> [String: String] {
        guard let breakdown else { return [:] }
        return try await of(report.rows.map(\.key), table: breakdown == .agency ? "agencies" : "procedures", in: database)
    }
}

extension ReportNames {
    /// Every agency's name, for the system administrator's choice of agency.
    static func allAgencies(in database: Database) async throws -> [String: String] {
        try await database.withConnection { db in
            var names: [String: String] = [:]
            for row in try await db.select().columns("code", "name").from("agencies").all() {
                names[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
    }
}
