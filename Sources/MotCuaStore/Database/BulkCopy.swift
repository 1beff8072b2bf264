import Foundation
@preconcurrency import PostgresKit
import SQLKit

/// A value as PostgreSQL's COPY text format spells it; nil is NULL.
protocol CopyText {
    var copyText: String? { get }
}

extension String: CopyText {
    var copyText: String? {
        guard contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Int: CopyText { var copyText: String? { String(self) } }
extension Int64: CopyText { var copyText: String? { String(self) } }
extension Bool: CopyText { var copyText: String? { self ? "t" : "f" } }
extension Optional: CopyText where Wrapped: CopyText { var copyText: String? { self?.copyText ?? nil } }

struct BulkCopyError: Error, CustomStringConvertible {
    let description: String
}

extension SQLDatabase {
    /// The PostgreSQL connection that COPY goes to; nil on SQLite.
    var copyTarget: (any PostgresDatabase)? { self as? any PostgresDatabase }

    /// Inserts many rows: with COPY on PostgreSQL, which skips binding each value, and with
    /// multi-row INSERTs elsewhere. Values are strings, integers and booleans, or nil.
    func bulkInsert(into table: String, columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        guard let postgres = copyTarget else {
            return try await insertRows(into: table, columns: columns, rows)
        }
        var text = ""
        for row in rows {
            for (index, value) in row.enumerated() {
                guard let value = value as? any CopyText else {
                    throw BulkCopyError(description: "bulk insert into \(table): \(type(of: value)) has no COPY text form")
                }
                if index > 0 { text += "\t" }
                text += value.copyText ?? "\\N"
            }
            text += "\n"
        }
        let data = text
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
                    try await writer.write(ByteBuffer(string: data))
                }
            }
        }.get()
    }
}
