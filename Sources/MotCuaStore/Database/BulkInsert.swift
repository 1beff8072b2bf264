import Foundation
import SQLKit

extension SQLDatabase {
    /// Inserts many rows with multi-row INSERTs, each under both databases' limits on bound values.
    func insertRows(into table: String, columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        let perStatement = Swift.max(1, 30_000 / Swift.max(1, columns.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = self.insert(into: table).columns(columns)
            for row in rows[start..<Swift.min(start + perStatement, rows.count)] {
                insert = insert.values(row)
            }
            try await insert.run()
        }
    }
}
