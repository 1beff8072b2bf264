import Foundation
@preconcurrency import PostgresKit

/// PostgresKit's database on one connection, except that statements which repeat run prepared
/// (see `PreparedStatements`). Everything else, and every value PostgresNIO cannot encode by itself
/// (a JSON document), goes through PostgresKit as before. It is also the connection's
/// `PostgresDatabase`, for what only PostgreSQL does (COPY).
struct PreparingPostgresDatabase: SQLDatabase, PostgresDatabase {
    let connection: PostgresConnection
    let base: any SQLDatabase
    let statements: PreparedStatements

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        connection.send(request, logger: logger)
    }

    func withConnection<T>(_ closure: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(connection)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, binds) = serialize(query)
        let id = ObjectIdentifier(connection)
        guard statements.isPreparable(sql), let (bindings, types) = try Self.encode(binds),
              let name = statements.name(for: sql, types: types, on: id) else {
            return try await base.execute(sql: CachedStatement(sql: sql, binds: binds), onRow)
        }
        do {
            try await NamedStatement.$current.withValue(.init(name: name, sql: sql, types: types)) {
                for try await row in try await connection.execute(NamedStatement(bindings: bindings), logger: logger) {
                    onRow(row.sql())
                }
            }
        } catch {
            statements.failed(name, on: id, with: error)
            throw error
        }
        statements.succeeded(name, on: id)
    }

    /// The values as PostgresKit binds them, with the types it declares; nil when one needs
    /// PostgresKit's own encoding (a document), which has no public form.
    static func encode(_ binds: [any Encodable & Sendable]) throws -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            guard try append(bind, to: &bindings, types: &types) else { return nil }
        }
        return (bindings, types)
    }

    private static func append<T: Encodable>(_ value: T, to bindings: inout PostgresBindings,
                                            types: inout [PostgresDataType]) throws -> Bool {
        if let optional = value as? any OptionalBind {
            guard let wrapped = optional.wrappedBind else {
                // PostgresKit declares a NULL with its Swift type's PostgreSQL type (a NULL `Int?`
                // is a bigint), so that `$1 IS NULL` or `pg_typeof($1)` mean the same both ways.
                guard let type = optional.wrappedType else { return false }
                bindings.appendNull()
                types.append(type)
                return true
            }
            return try append(wrapped, to: &bindings, types: &types)
        } else if let value = value as? any PostgresThrowingDynamicTypeEncodable {
            try bindings.append(value, context: .default)
            types.append(value.psqlType)
        } else {
            return false
        }
        return true
    }
}

private protocol OptionalBind {
    var wrappedBind: (any Encodable)? { get }
    var wrappedType: PostgresDataType? { get }
}

extension Optional: OptionalBind where Wrapped: Encodable {
    fileprivate var wrappedBind: (any Encodable)? { self }
    fileprivate var wrappedType: PostgresDataType? { (Wrapped.self as? any PostgresEncodable.Type)?.psqlType }
}
