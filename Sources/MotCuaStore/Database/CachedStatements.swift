import Foundation
import SQLKit

/// The SQL text of a statement whose shape never changes, built with SQLKit's builders once per
/// dialect and reused with new values. Serializing a builder's expression tree (quoting every
/// identifier, walking the lists) took about a quarter of the SQLite writer thread's time in a
/// surge profile, on the statements every submission and every step repeat.
enum CachedStatements {
    /// Where each bound value of the cached text comes from.
    enum Slot: @unchecked Sendable {
        /// The caller's value at this index.
        case value(Int)
        /// A value the builder bound itself (a constant in the statement).
        case constant(any Encodable & Sendable)
    }

    struct Template: Sendable {
        let sql: String
        let slots: [Slot]
    }

    /// Stands for the caller's value `index` while the text is built.
    struct Marker: Encodable, Sendable {
        let index: Int
    }

    /// A statement's text differs by dialect (quoting, placeholders, locking clauses).
    private struct Key: Hashable {
        let dialect: String
        let statement: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var templates: [Key: Template] = [:]
    /// Keys made from a statement's shape (which columns, how many rows) are many in theory and
    /// few in practice; past this many texts a new one is built each time and not kept.
    static let maxTemplates = 4096
    /// Longer texts (a rebuild's slice of a thousand rows) are built each time and not kept: they
    /// are not repeated, and would hold their memory for nothing. The same bound as `PreparedStatements`.
    static let maxLength = 16_384

    static func template(_ key: String, values: Int, in db: any SQLDatabase,
                         build: (any SQLDatabase, [SQLBind]) -> any SQLQueryBuilder) -> Template {
        let fullKey = Key(dialect: db.dialect.name, statement: key)
        if let found = lock.withLock({ templates[fullKey] }) { return found }
        let query = build(db, (0..<values).map { SQLBind(Marker(index: $0)) }).query
        var serializer = SQLSerializer(database: db)
        query.serialize(to: &serializer)
        let slots = serializer.binds.map { bind -> Slot in
            if let marker = bind as? Marker { .value(marker.index) } else { .constant(bind) }
        }
        // A value the text does not bind would be lost silently (a builder that took the
        // placeholder as a plain value binds it as a constant): a programming error, stop.
        let bound = Set(slots.compactMap { if case .value(let index) = $0 { index } else { nil } })
        precondition(bound == Set(0..<values), "cached statement \(key): values \(Set(0..<values).subtracting(bound).sorted()) not bound")
        let template = Template(sql: serializer.sql, slots: slots)
        lock.withLock { keep(template, at: fullKey, in: &templates) }
        return template
    }

    /// Stores `template` unless `limit` texts are kept already or its text is too long to keep.
    static func keep<K: Hashable>(_ template: Template, at key: K, in templates: inout [K: Template], limit: Int = maxTemplates) {
        if templates.count < limit, template.sql.utf8.count <= maxLength { templates[key] = template }
    }
}

/// A cached statement with its values, ready to run.
struct CachedStatement: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }
}

extension SQLDatabase {
    /// The statement `key`, built by `build` the first time this dialect meets it and reused after.
    /// `build` receives `values` as bound placeholders, in the same order, and must give the same
    /// shape whatever the values are (no `IN` lists, no optional clauses).
    func cached(_ key: String, _ values: [any Encodable & Sendable],
                _ build: (any SQLDatabase, [SQLBind]) -> any SQLQueryBuilder) -> CachedQuery {
        let template = CachedStatements.template(key, values: values.count, in: self, build: build)
        let binds = template.slots.map { slot -> any Encodable & Sendable in
            switch slot {
            case .value(let index): values[index]
            case .constant(let value): value
            }
        }
        return CachedQuery(database: self, statement: CachedStatement(sql: template.sql, binds: binds))
    }
}

/// A cached statement with its values: run it or read its rows with SQLKit's own fetch methods.
final class CachedQuery: SQLQueryFetcher {
    let database: any SQLDatabase
    let query: any SQLExpression

    init(database: any SQLDatabase, statement: CachedStatement) {
        self.database = database
        self.query = statement
    }
}
