import Foundation
import NIOCore
@preconcurrency import SQLiteKit
import VaporCSQLite

/// SQLite copies bound text and blobs at once, so the caller's buffers may go right after.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared statement of a `SQLiteHandle`, with the names of its result columns.
final class SQLitePrepared {
    private var statement: OpaquePointer?
    private var columns: SQLiteColumns?
    /// How many times SQLite had prepared the statement anew when `columns` were read.
    private var columnsPreparedAs: Int32 = -1
    var lastUse: UInt64 = 0

    init(_ sql: String, on connection: OpaquePointer, persistent: Bool) throws {
        var tail: UnsafePointer<CChar>?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { text in
            sqlite_nio_sqlite3_prepare_v3(connection, text, -1, flags, &statement, &tail)
        }
        guard code == SQLITE_OK else { throw SQLiteFailure.last(code, on: connection) }
        guard statement != nil else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "no statement in the text") }
        // sqlite-nio ran the first statement of a text and dropped the rest without a word.
        if let tail, !String(cString: tail).allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            finalize()
            throw SQLiteFailure(code: SQLITE_MISUSE, message: "more than one statement in one text")
        }
    }

    func finalize() {
        sqlite_nio_sqlite3_finalize(statement)
        statement = nil
    }

    func reset() {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
    }

    func bind(_ binds: [SQLiteData], on connection: OpaquePointer) throws {
        let expected = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard binds.count == expected else {
            throw SQLiteFailure(code: SQLITE_RANGE, message: "the statement takes \(expected) values, given \(binds.count)")
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): code = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .text(let text):
                code = sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let buffer):
                // A nil pointer would bind NULL, not an empty blob.
                code = buffer.readableBytes == 0
                    ? sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0)
                    : buffer.withUnsafeReadableBytes {
                        sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
                    }
            case .null: code = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else { throw SQLiteFailure.last(code, on: connection) }
        }
    }

    func step(on connection: OpaquePointer, onRow: (SQLiteResultRow) throws -> Void) throws {
        // SQLite prepares a statement anew only in its first step: the names hold for every row after.
        var runColumns: SQLiteColumns?
        while true {
            let code = sqlite_nio_sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw SQLiteFailure.last(code, on: connection) }
            let names = runColumns ?? currentColumns()
            runColumns = names
            var values: [SQLiteData] = []
            values.reserveCapacity(names.names.count)
            for column in 0..<Int32(names.names.count) { values.append(value(at: column)) }
            try onRow(SQLiteResultRow(columns: names, values: values))
        }
    }

    /// Read once; again after SQLite prepared the statement anew (a schema change, perhaps
    /// another process's migration, may have renamed or reordered the columns of a `SELECT *`).
    private func currentColumns() -> SQLiteColumns {
        let prepared = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let columns, prepared == columnsPreparedAs { return columns }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
        let read = SQLiteColumns(names)
        columns = read
        columnsPreparedAs = prepared
        return read
    }

    private func value(at column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            // Text first, then its length: the order SQLite documents for a stable pointer.
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = sqlite_nio_sqlite3_column_blob(statement, column)
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes, count > 0 else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}

/// The result columns of a statement, shared by all its rows.
final class SQLiteColumns: Sendable {
    let names: [String]
    /// A name given twice finds its first column, as in sqlite-nio.
    let offsets: [String: Int]

    init(_ names: [String]) {
        self.names = names
        offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A result row read through SQLKit, decoded as SQLiteKit decodes its own rows.
struct SQLiteResultRow: SQLRow {
    private static let decoder = SQLiteDataDecoder()

    let columns: SQLiteColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.offsets[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let offset = columns.offsets[column] else { return true }
        return values[offset] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let offset = columns.offsets[column] else {
            throw DatabaseError("no column \(column) in the result (\(columns.names.joined(separator: ", ")))")
        }
        let value = values[offset]
        return try Self.plain(value, as: D.self) ?? Self.decoder.decode(D.self, from: value)
    }

    /// The plain values MotCua reads, as SQLiteKit's decoder gives them, without its protocol-
    /// conformance lookup and, for an optional, the decoder object it makes (18 % of a reader's
    /// time on an inbox page). Nil for anything else: the decoder decides.
    static func plain<D>(_ value: SQLiteData, as _: D.Type) -> D? {
        switch value {
        case .text(let text):
            if D.self == String.self { return text as? D }
            if D.self == String?.self { return Optional(text) as? D }
        case .integer(let number):
            if D.self == Int.self { return number as? D }
            if D.self == Int?.self { return Optional(number) as? D }
            if D.self == Int64.self { return Int64(number) as? D }
            if D.self == Int64?.self { return Optional(Int64(number)) as? D }
            if D.self == Bool.self, number == 0 || number == 1 { return (number == 1) as? D }
            if D.self == Bool?.self, number == 0 || number == 1 { return Optional(number == 1) as? D }
        case .null:
            if D.self == String?.self { return String?.none as? D }
            if D.self == Int?.self { return Int?.none as? D }
            if D.self == Int64?.self { return Int64?.none as? D }
            if D.self == Bool?.self { return Bool?.none as? D }
        default:
            break
        }
        return nil
    }
}
