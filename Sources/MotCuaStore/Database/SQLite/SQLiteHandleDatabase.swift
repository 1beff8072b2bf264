import Foundation
import Logging
import NIOCore
@preconcurrency import SQLiteKit

/// SQLKit's view of a `SQLiteHandle`: each statement runs at once on the calling thread.
struct SQLiteHandleDatabase: SQLDatabase {
    private static let encoder = SQLiteDataEncoder()

    let handle: SQLiteHandle
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
        let (sql, binds) = serialize(query)
        try handle.run(sql, binds.map(Self.data)) { onRow($0) }
    }

    /// The values MotCua binds, converted as SQLiteKit's encoder does, without its first step for
    /// every value: a protocol-conformance lookup, 3 % of the writer thread in an intake profile.
    static func data(_ value: any Encodable) throws -> SQLiteData {
        switch value {
        case let text as String: .text(text)
        case let number as Int: .integer(number)
        case let number as Int64: .integer(Int(number))
        case let flag as Bool: .integer(flag ? 1 : 0)
        case let text as String?: text.map(SQLiteData.text) ?? .null
        case let number as Int64?: number.map { .integer(Int($0)) } ?? .null
        case let number as Int?: number.map(SQLiteData.integer) ?? .null
        default: try encoder.encode(value)
        }
    }
}

/// Opens SQLite files the way MotCua needs them: WAL so readers never wait for a writer, a busy
/// timeout so writers queue, foreign keys on, and full fsync so an acknowledged write survives a crash.
struct SQLiteFileSource: ConnectionPoolSource, Sendable {
    let path: String
    /// Where the bodies run, since their statements block the thread they run on: the readers'
    /// threads. Nil runs them where they are called (the writer's thread, or a test's task).
    var executor: ThreadPoolExecutor?
    /// Set on the writer's connection, whose transactions share commits in savepoints: each page a
    /// savepoint changes is copied to a sub-journal first, which by default spills to a temporary
    /// file (a fifth of the writer's time in an intake profile). Readers keep the default, so a
    /// large report's sort may still spill to disk instead of memory.
    var pragmas: [String] = []

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteBackedConnection> {
        // Opening waits on the file (and on the busy timeout): on the readers' threads too.
        guard let executor else { return eventLoop.makeCompletedFuture { try open(logger: logger, on: eventLoop) } }
        return eventLoop.makeFutureWithTask {
            try await withTaskExecutorPreference(executor) { try open(logger: logger, on: eventLoop) }
        }
    }

    private func open(logger: Logger, on eventLoop: any EventLoop) throws -> SQLiteBackedConnection {
        let handle = try SQLiteHandle.open(path: path)
        do {
            for pragma in ["PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL",
                           "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"] + pragmas {
                try handle.run(pragma, []) { _ in }
            }
        } catch {
            handle.close()
            throw error
        }
        return SQLiteBackedConnection(handle: handle, executor: executor, logger: logger, eventLoop: eventLoop)
    }
}

/// A pooled SQLite connection.
final class SQLiteBackedConnection: SQLConnection, @unchecked Sendable {
    let handle: SQLiteHandle
    let executor: ThreadPoolExecutor?
    let logger: Logger
    let eventLoop: any EventLoop

    init(handle: SQLiteHandle, executor: ThreadPoolExecutor?, logger: Logger, eventLoop: any EventLoop) {
        self.handle = handle
        self.executor = executor
        self.logger = logger
        self.eventLoop = eventLoop
    }

    var isClosed: Bool { handle.isClosed }

    func close() -> EventLoopFuture<Void> {
        handle.close()
        return eventLoop.makeSucceededVoidFuture()
    }

    /// The same for reads and transactions: the writer's own connection is the one that writes.
    func run<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R,
                          statements: PreparedStatements, transaction: Bool) async throws -> R {
        let db = SQLiteHandleDatabase(handle: handle, logger: logger, eventLoop: eventLoop)
        guard let executor else { return try await body(db) }
        return try await withTaskExecutorPreference(executor) { try await body(db) }
    }
}
