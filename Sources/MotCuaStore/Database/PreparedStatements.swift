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
final class PreparedStatements: @unchecked Sendable {
    /// What the running statement is: PostgresNIO reads a prepared statement's name, text and
    /// parameter types from its type, synchronously when it is sent, so they travel as a task local.
    struct Current: Sendable {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    /// The same text with other parameter types (a NULL where a value was) is another statement:
    /// the server fixes the types when it prepares.
    private struct Key: Hashable {
        let sql: String
        let types: [PostgresDataType]
    }

    /// A name that failed on a connection: PostgresNIO keeps a failed preparation's error for good
    /// (a statement prepared inside an aborted transaction would fail ever after), so that
    /// connection sends the text unnamed from then on.
    private struct Spoiled: Hashable {
        let connection: ObjectIdentifier
        let name: String
    }

    /// Executions of a text before it gets a name.
    let threshold: Int
    let maxNames: Int
    let maxLength: Int

    private let lock = NSLock()
    private var seen: [String: Int] = [:]
    private var names: [Key: String] = [:]
    private var spoiled: Set<Spoiled> = []
    private var generation = 0

    init(threshold: Int = 2, maxNames: Int = 512, maxLength: Int = 16_384) {
        self.threshold = threshold
        self.maxNames = maxNames
        self.maxLength = maxLength
    }

    /// The name to run `sql` with these parameter types on `connection`, or nil to send it unnamed.
    func name(for sql: String, types: [PostgresDataType], on connection: ObjectIdentifier) -> String? {
        guard sql.utf8.count <= maxLength, Self.isPreparable(sql) else { return nil }
        let key = Key(sql: sql, types: types)
        return lock.withLock {
            if let name = names[key] {
                return spoiled.contains(Spoiled(connection: connection, name: name)) ? nil : name
            }
            guard names.count < maxNames else { return nil }
            let count = (seen[sql] ?? 0) + 1
            guard count >= threshold else {
                if seen.count < maxNames * 8 { seen[sql] = count }
                return nil
            }
            seen[sql] = nil
            let name = "motcua_\(generation)_\(names.count)"
            names[key] = name
            return name
        }
    }

    func failed(_ name: String, on connection: ObjectIdentifier) {
        lock.withLock {
            if spoiled.count >= maxNames * 8 { spoiled.removeAll() }
            spoiled.insert(Spoiled(connection: connection, name: name))
        }
    }

    /// After a schema change: a prepared `SELECT *` would fail once its table has another column
    /// ("cached plan must not change result type"), so texts get new names and are prepared again.
    func schemaChanged() {
        lock.withLock {
            names.removeAll()
            seen.removeAll()
            generation += 1
        }
    }

    /// Only statements the server can prepare and that are worth it (not DDL, not BEGIN or COMMIT).
    static func isPreparable(_ sql: String) -> Bool {
        let start = sql.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }.count
        let word = sql.utf8.dropFirst(start).prefix(6).map { $0 | 0x20 }
        return ["select", "insert", "update", "delete"].contains { word.elementsEqual($0.utf8) }
            || word.starts(with: "with ".utf8)
    }
}

/// A statement whose name, text and parameter types are those of the task's current statement.
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
