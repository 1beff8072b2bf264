import Foundation
import Logging
@preconcurrency import PostgresKit
@preconcurrency import SQLiteKit

/// Thrown by a body whose connection must not be used again: a transaction that could not be
/// rolled back. The pool closes the connection (the server then drops the transaction) and the
/// caller gets `underlying`.
struct SpoiledConnection: Error {
    let underlying: any Error
}

/// A pool that hands an idle connection to the asking task under a lock, and runs the body in
/// that task.
///
/// AsyncKit's pool lives on event loops: each checkout and return hops to a loop and the body
/// runs in a new task, about four thread wake-ups per use. In a small virtual machine a wake-up
/// costs about a tenth of a millisecond, more than a small query, so only waiting costs one here.
final class ConnectionPool<Source: ConnectionPoolSource>: DatabaseBackend, @unchecked Sendable
where Source: Sendable, Source.Connection: SQLConnection & Sendable {
    private enum Grant {
        case connection(Source.Connection)
        /// A free place: the receiver opens a connection and counts it as open already.
        case create
        case shutDown
    }

    private let source: Source
    let statements = PreparedStatements()
    private let maxConnections: Int
    private let logger: Logger
    private let group: any EventLoopGroup
    private let lock = NSLock()
    // Guarded by `lock`:
    private var idle: [Source.Connection] = []
    /// Idle, in use, or being opened or closed.
    private var open = 0
    private var waiters: [CheckedContinuation<Grant, Never>] = []
    private var isShutDown = false
    private var drained: CheckedContinuation<Void, Never>?

    init(source: Source, maxConnections: Int, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.source = source
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
        self.group = group
    }

    func withConnection<R: Sendable>(transaction: Bool,
                                     _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await acquire()
        do {
            let result = try await connection.run(body, statements: statements, transaction: transaction)
            release(connection)
            return result
        } catch let spoiled as SpoiledConnection {
            retire(connection)
            throw spoiled.underlying
        } catch {
            release(connection)
            throw error
        }
    }

    /// Refuses new checkouts, closes idle connections and waits until those in use are returned and closed.
    func shutdown() async throws {
        let (closing, waiting) = locked { () -> ([Source.Connection], [CheckedContinuation<Grant, Never>]) in
            isShutDown = true
            defer { idle = []; waiters = [] }
            return (idle, waiters)
        }
        waiting.forEach { $0.resume(returning: .shutDown) }
        closing.forEach(retire)
        await withCheckedContinuation { continuation in
            let now = locked { () -> Bool in
                if open == 0 { return true }
                drained = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func acquire() async throws -> Source.Connection {
        while true {
            let grant: Grant
            if let immediate = locked({ grantNow() }) {
                grant = immediate
            } else {
                grant = await withCheckedContinuation { continuation in
                    let now = locked { () -> Grant? in
                        if let grant = grantNow() { return grant }
                        waiters.append(continuation)
                        return nil
                    }
                    if let now { continuation.resume(returning: now) }
                }
            }
            switch grant {
            case .connection(let connection):
                if !connection.isClosed { return connection }
                // Closed while idle (a server restart, say): count it out and ask again.
                forget()
            case .create:
                do {
                    return try await source.makeConnection(logger: logger, on: group.any()).get()
                } catch {
                    forget()
                    throw error
                }
            case .shutDown:
                throw DatabaseError("the database connection pool is closed")
            }
        }
    }

    /// Called with the lock held: what can be granted without waiting, if anything.
    private func grantNow() -> Grant? {
        if isShutDown { return .shutDown }
        if let connection = idle.popLast() { return .connection(connection) }
        guard open < maxConnections else { return nil }
        open += 1
        return .create
    }

    private func release(_ connection: Source.Connection) {
        if connection.isClosed || locked({ isShutDown }) { return retire(connection) }
        let waiter = locked { () -> CheckedContinuation<Grant, Never>? in
            if waiters.isEmpty {
                idle.append(connection)
                return nil
            }
            return waiters.removeFirst()
        }
        waiter?.resume(returning: .connection(connection))
    }

    /// Closes a connection and gives its place to a waiter, or to nobody.
    private func retire(_ connection: Source.Connection) {
        statements.forget(ObjectIdentifier(connection))
        guard !connection.isClosed else { return forget() }
        connection.close().whenComplete { result in
            if case .failure(let error) = result {
                self.logger.warning("closing a database connection failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            self.forget()
        }
    }

    /// One connection fewer: a waiter may open one in its place.
    private func forget() {
        let (waiter, done) = locked { () -> (CheckedContinuation<Grant, Never>?, CheckedContinuation<Void, Never>?) in
            open -= 1
            if !waiters.isEmpty, !isShutDown {
                open += 1
                return (waiters.removeFirst(), nil)
            }
            guard isShutDown, open == 0 else { return (nil, nil) }
            defer { drained = nil }
            return (nil, drained)
        }
        waiter?.resume(returning: .create)
        done?.resume()
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// It holds only its configuration, fixed at creation; PostgresKit predates Sendable annotations.
extension PostgresConnectionSource: @retroactive @unchecked Sendable {}
