import Foundation
import Logging
@preconcurrency import PostgresKit
@preconcurrency import SQLiteKit

public enum DatabaseKind: String, Sendable {
    case sqlite
    case postgres
}

/// Where the data lives: an embedded SQLite file (the default, no set-up) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public var kind: DatabaseKind {
        switch self {
        case .sqlite: return .sqlite
        case .postgres: return .postgres
        }
    }

    /// Safe to print: the PostgreSQL password is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres:(unparsable url)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres"
        }
    }
}

public struct DatabaseError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A pool of connections to one database, the same API on SQLite and PostgreSQL.
///
/// Reads use any pooled connection; `transaction` pins one connection for its whole body and
/// commits only if the body returns, so a failed command leaves nothing behind.
public final class Database: Sendable {
    public let kind: DatabaseKind
    public let location: DatabaseLocation
    private let backend: any DatabaseBackend
    /// Only for SQLite: the one connection that writes transactions (see `SQLiteWriter`).
    private let writer: SQLiteWriter?
    /// Only for SQLite: the threads the pooled readers' bodies run on.
    private let readers: ThreadPoolExecutor?
    let logger: Logger

    public static func open(_ location: DatabaseLocation, logger: Logger, maxConnections: Int = 4) throws -> Database {
        let backend: any DatabaseBackend
        var writer: SQLiteWriter?
        var readers: ThreadPoolExecutor?
        switch location {
        case .sqlite(let path):
            // Each reader's statements block its thread: the readers get threads of their own.
            let threads = ThreadPoolExecutor(startingThreads: maxConnections)
            readers = threads
            let source = SQLiteFileSource(path: path, executor: threads)
            backend = ConnectionPool(source: source, maxConnections: maxConnections, logger: logger)
            writer = SQLiteWriter(path: path, logger: logger)
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw DatabaseError("DATABASE_URL is not a valid postgres:// URL (\(location))")
            }
            backend = ConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnections: maxConnections, logger: logger)
        }
        return Database(kind: location.kind, location: location, backend: backend, writer: writer,
                        readers: readers, logger: logger)
    }

    private init(kind: DatabaseKind, location: DatabaseLocation, backend: any DatabaseBackend, writer: SQLiteWriter?,
                 readers: ThreadPoolExecutor?, logger: Logger) {
        self.kind = kind
        self.location = location
        self.backend = backend
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    /// Runs `body` on one pooled connection, outside any explicit transaction.
    public func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await backend.withConnection(body)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws; it
    /// returns only once the commit is durable.
    /// On SQLite it runs on the one writer connection, which takes the write lock up front
    /// (BEGIN IMMEDIATE) so that another process's writer makes it wait instead of failing
    /// half-way, and which may commit it together with others queued at the same time, each in
    /// a savepoint of its own (see `SQLiteWriter`).
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard let writer else { return try await backend.withConnection(transaction: true) { db in try await Self.run(body, in: db) } }
        return try await writer.transaction(body)
    }

    private static func run<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R,
                                         in db: any SQLDatabase) async throws -> R {
        let generations = ReferenceWrites.generations
        defer { ReferenceWrites.settle(since: generations) }
        try await db.raw("BEGIN").run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            do {
                try await db.raw("ROLLBACK").run()
            } catch let rollbackError {
                // Still in the transaction, perhaps: the connection must not serve anyone else.
                db.logger.error("rollback failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
                throw SpoiledConnection(underlying: error)
            }
            throw error
        }
    }

    /// After a migration: PostgreSQL's statements are prepared again (see `PreparedStatements`).
    /// SQLite needs nothing: it prepares a kept statement again itself after any schema change,
    /// from any connection, and `SQLitePrepared` then reads its column names again.
    func schemaChanged() {
        backend.statements.schemaChanged()
    }

    /// How many batches SQLite's writer has committed or tried (nil on PostgreSQL): for tests.
    var writeBatches: Int? { writer?.counts.batches }

    /// True when a trivial query answers.
    public func isReachable() async -> Bool {
        do {
            return try await withConnection { db in
                try await db.raw("SELECT 1 AS ok").first(decodingColumn: "ok", as: Int.self) == 1
            }
        } catch {
            logger.warning("database not reachable", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
    }

    /// Closes every connection; waits for connections in use to be returned. A second call does nothing.
    public func close() async throws {
        guard closed.setOnce() else { return }
        // The readers' threads stop last, and whatever failed before: nothing runs on them by then.
        do {
            try await backend.shutdown()
            try await writer?.shutdown()
        } catch {
            try? await readers?.shutdown()
            throw error
        }
        try await readers?.shutdown()
    }

    private let closed = Once()
}

/// A flag that can be set once, from any thread.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    /// True the first time only.
    func setOnce() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}

protocol DatabaseBackend: Sendable {
    /// `transaction`: the body is a whole transaction (see `SQLConnection.run`).
    func withConnection<R: Sendable>(transaction: Bool,
                                     _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// The pool's names for PostgreSQL's prepared statements.
    var statements: PreparedStatements { get }
    func shutdown() async throws
}

extension DatabaseBackend {
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withConnection(transaction: false, body)
    }
}

protocol SQLConnection: ConnectionPoolItem {
    /// Runs `body` with this connection, where its statements cost the fewest thread wake-ups;
    /// `transaction` when the body is a whole transaction.
    func run<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R,
                          statements: PreparedStatements, transaction: Bool) async throws -> R
}

extension PostgresConnection: SQLConnection {
    /// A transaction runs on the connection's event loop: each statement's answer arrives on that
    /// loop, and from the global executor the body would wait for a thread wake-up per statement
    /// while it holds its locks. A read runs where it was called: its rows are decoded there
    /// instead of on a loop that other connections share, and measured as fast (BENCHMARKS.md).
    /// Statements that repeat run prepared, under the pool's names.
    func run<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R,
                          statements: PreparedStatements, transaction: Bool) async throws -> R {
        let db = PreparingPostgresDatabase(connection: self, base: sql(queryLogLevel: nil), statements: statements)
        guard transaction else { return try await body(db) }
        return try await withTaskExecutorPreference(EventLoopExecutor.of(eventLoop)) { try await body(db) }
    }
}
