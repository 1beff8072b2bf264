import Foundation
@preconcurrency import PostgresKit

/// Which PostgreSQL statement texts run as named prepared statements, and under which names (one
/// registry a pool: a migration on one database renames only its own statements).
///
/// An unnamed statement is parsed, analysed and planned by the server on every execution, and its
/// row description sent back each time: most of a small statement's cost there (with
/// `pgbench -M prepared` 1.5 × faster than `-M extended` on the same machine). A text seen a second
/// time gets a name; each connection then prepares it on first use (PostgresNIO keeps that state
/// per connection) and later only binds and executes it. As JDBC's driver does, one-off texts
/// (migrations, ad-hoc reports) stay unnamed, and the number of names is bounded.
///
/// Two things differ from unnamed statements. A prepared statement whose result columns change
/// (`SELECT *` after a column is added, by a migration in another process) fails on that
/// connection, which then sends the text unnamed; texts with `*` are therefore not prepared.
/// And a task cancelled while rows arrive gets a `CancellationError`, where PostgresKit's path
/// waited for the rows; the statement itself has run, and a transaction is rolled back as after
/// any error.
final class PreparedStatements: @unchecked Sendable {
    /// What the running statement is: PostgresNIO reads a prepared statement's name, text and
    /// parameter types from its type, synchronously when it is sent, so they travel as a task local.
    struct Current: Sendable {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    /// The same text with other parameter types is another statement: the server fixes the types
    /// when it prepares.
    private struct Key: Hashable {
        let sql: String
        let types: [PostgresDataType]
    }

    /// What one connection has done with the names.
    private struct ConnectionState {
        /// Run there at least once, so prepared there for good.
        var prepared: Set<String> = []
        /// Sent unnamed there: PostgresNIO keeps a failed preparation's error for the connection's
        /// life (a statement prepared inside an aborted transaction would fail ever after).
        var spoiled: Set<String> = []
    }

    /// Executions of a text before it gets a name.
    let threshold: Int
    let maxNames: Int
    let maxLength: Int

    private let lock = NSLock()
    private var seen: [String: Int] = [:]
    private var names: [Key: String] = [:]
    private var connections: [ObjectIdentifier: ConnectionState] = [:]
    private var generation = 0

    init(threshold: Int = 2, maxNames: Int = 512, maxLength: Int = 16_384) {
        self.threshold = threshold
        self.maxNames = maxNames
        self.maxLength = maxLength
    }

    /// The name to run `sql` with these parameter types on `connection`, or nil to send it unnamed.
    func name(for sql: String, types: [PostgresDataType], on connection: ObjectIdentifier) -> String? {
        let key = Key(sql: sql, types: types)
        return lock.withLock {
            if let name = names[key] {
                return connections[connection]?.spoiled.contains(name) == true ? nil : name
            }
            guard names.count < maxNames else { return nil }
            let count = (seen[sql] ?? 0) + 1
            guard count >= threshold else {
                // Counting starts again once many one-off texts have gone by.
                if seen.count >= maxNames * 8 { seen.removeAll() }
                seen[sql] = count
                return nil
            }
            seen[sql] = nil
            let name = "motcua_\(generation)_\(names.count)"
            names[key] = name
            return name
        }
    }

    func succeeded(_ name: String, on connection: ObjectIdentifier) {
        lock.withLock { _ = connections[connection, default: ConnectionState()].prepared.insert(name) }
    }

    /// After a failed execution: the connection stops using the name if its preparation may have
    /// failed (never run there before) or if its result columns have changed.
    func failed(_ name: String, on connection: ObjectIdentifier, with error: any Error) {
        if error is CancellationError { return }
        let changedColumns = (error as? PSQLError)?.serverInfo?[.sqlState] == "0A000"
        lock.withLock {
            var state = connections[connection, default: ConnectionState()]
            if changedColumns || !state.prepared.contains(name) { state.spoiled.insert(name) }
            connections[connection] = state
        }
    }

    /// A connection closed: its prepared statements went with it.
    func forget(_ connection: ObjectIdentifier) {
        lock.withLock { _ = connections.removeValue(forKey: connection) }
    }

    /// After a schema change in this process: texts get new names and are prepared again.
    func schemaChanged() {
        lock.withLock {
            names.removeAll()
            seen.removeAll()
            generation += 1
        }
    }

    /// Only statements the server can prepare, that are worth it (not DDL, not BEGIN or COMMIT),
    /// and whose result columns cannot change under them (no `*`, but `COUNT(*)` is fine).
    func isPreparable(_ sql: String) -> Bool {
        sql.utf8.count <= maxLength && Self.isPreparable(sql)
    }

    static func isPreparable(_ sql: String) -> Bool {
        let start = sql.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }.count
        let word = sql.utf8.dropFirst(start).prefix(6).map { $0 | 0x20 }
        guard ["select", "insert", "update", "delete"].contains(where: { word.elementsEqual($0.utf8) })
            || word.starts(with: "with ".utf8) else { return false }
        return !sql.utf8.contains(UInt8(ascii: "*")) || !sql.replacingOccurrences(of: "(*)", with: "").utf8.contains(UInt8(ascii: "*"))
    }
}

/// A statement whose name, text and parameter types are those of the task's current statement.
/// PostgresNIO 1.33 reads them only inside `execute`, before it first suspends, and when it
/// reports an error; check again when upgrading it.
struct NamedStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    @TaskLocal static var current: PreparedStatements.Current?

    static var name: String { current!.name }
    static var sql: String { current!.sql }
    static var bindingDataTypes: [PostgresDataType] { current!.types }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
