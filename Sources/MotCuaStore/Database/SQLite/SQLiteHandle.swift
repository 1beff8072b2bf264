import Foundation
import NIOCore
@preconcurrency import SQLiteKit
// The SQLite library sqlite-nio builds (a target of that package, reached through SQLiteKit: no
// product exports it), used directly. A process must link one copy of SQLite only: two copies
// on one file do not see each other's POSIX locks, so they could corrupt it.
import VaporCSQLite

/// One SQLite connection driven through SQLite's C API, which keeps the statements it runs
/// prepared and runs each on the calling thread.
///
/// sqlite-nio prepares every statement again (a fifth of the writer thread in an intake profile),
/// runs it on a thread pool and hands each row to an event loop: three thread wake-ups a statement.
/// Here the caller's whole body runs on a thread meant for blocking work (see `SQLiteFileSource`).
///
/// Used by one task at a time (the pool's checkout), never from two threads at once.
final class SQLiteHandle: @unchecked Sendable {
    /// Statements kept prepared, at most: the busy paths repeat a few dozen texts.
    static let cacheCapacity = 160
    /// Longer texts (bulk inserts of many rows) are prepared for one run only.
    static let longestCached = 64 * 1024

    private var connection: OpaquePointer?
    private var cache: [String: SQLitePrepared] = [:]
    private var uses: UInt64 = 0
    let path: String

    private init(connection: OpaquePointer, path: String) {
        self.connection = connection
        self.path = path
    }

    /// Opens (or creates) the file. No mutex of SQLite's own: the pool never shares a connection.
    /// `gatheringLogWrites`: through `GatheringVFS`; else through the platform's file system alone.
    static func open(path: String, gatheringLogWrites: Bool = true) throws -> SQLiteHandle {
        var connection: OpaquePointer?
        // URI names (`file:…?…`) as sqlite-nio took them.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI
        let code = sqlite_nio_sqlite3_open_v2(path, &connection, flags, gatheringLogWrites ? GatheringVFS.registeredName : nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            if let connection { sqlite_nio_sqlite3_close_v2(connection) }
            throw SQLiteFailure(code: code, message: "\(message) (\(path))")
        }
        return SQLiteHandle(connection: connection, path: path)
    }

    var isClosed: Bool { connection == nil }

    /// Finalizes the kept statements and closes the connection; a second call does nothing.
    func close() {
        guard let connection else { return }
        cache.values.forEach { $0.finalize() }
        cache = [:]
        sqlite_nio_sqlite3_close_v2(connection)
        self.connection = nil
    }

    deinit { close() }

    /// Runs one statement with `binds`, handing each result row to `onRow`.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteResultRow) throws -> Void) throws {
        guard let connection else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        let (statement, kept) = try prepared(sql, on: connection)
        // Reset at once: a statement left mid-way would hold its read snapshot open.
        defer {
            statement.reset()
            if !kept { statement.finalize() }
        }
        try statement.bind(binds, on: connection)
        try statement.step(on: connection, onRow: onRow)
    }

    /// The statement for `sql`, and whether the cache keeps it (else it is finalized after its run).
    private func prepared(_ sql: String, on connection: OpaquePointer) throws -> (SQLitePrepared, kept: Bool) {
        uses &+= 1
        if let found = cache[sql] {
            found.lastUse = uses
            return (found, true)
        }
        let keep = sql.utf8.count <= Self.longestCached
        let statement = try SQLitePrepared(sql, on: connection, persistent: keep)
        statement.lastUse = uses
        guard keep else { return (statement, false) }
        if cache.count >= Self.cacheCapacity,
           let oldest = cache.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            cache.removeValue(forKey: oldest.key)?.finalize()
        }
        cache[sql] = statement
        return (statement, true)
    }

    /// The writes SQLite made to this connection's log and those sent to the file (`GatheringVFS`): for tests.
    var logWrites: (made: Int, sent: Int, held: Int)? { connection.flatMap(GatheringVFS.counts(of:)) }

    /// How many statements are kept prepared: for tests.
    var cachedCount: Int { cache.count }
}

/// An error SQLite reported, with its extended result code.
public struct SQLiteFailure: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String

    public var description: String { "SQLite error \(code): \(message)" }

    static func last(_ code: Int32, on connection: OpaquePointer) -> SQLiteFailure {
        SQLiteFailure(code: code, message: String(cString: sqlite_nio_sqlite3_errmsg(connection)))
    }
}
