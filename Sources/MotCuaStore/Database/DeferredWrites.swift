import Foundation
import Logging
import NIOCore
import SQLKit

/// A transaction's database that holds back the statements whose rows nobody reads
/// (`write(_:into:)`) and sends them together: on PostgreSQL as one statement, each a
/// data-modifying `WITH` part, so that a submission's inserts and upserts and its recorded
/// answer cost one round trip instead of up to seven (each round trip was PostgresNIO work on the
/// server and a parse-bind-execute on the database). Anything else run through it sends the held
/// statements first, so effects keep their order; `flush()` sends the rest.
///
/// PostgreSQL runs the parts of one statement on one snapshot: none sees another's rows, and two
/// may not change the same row. So a second write into a table already written sends the held
/// ones first (constraints are still checked at the end of the statement, foreign keys included).
final class DeferringDatabase: SQLDatabase, @unchecked Sendable {
    let base: any SQLDatabase
    /// Touched by the one task running the transaction, statement after statement.
    private var held: [(table: String, statement: any SQLExpression)] = []

    init(_ base: any SQLDatabase) { self.base = base }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func hold(_ statement: any SQLExpression, into table: String) async throws {
        if held.contains(where: { $0.table == table }) { try await flush() }
        held.append((table, statement))
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        guard let held = takeHeld() else { return base.execute(sql: query, onRow) }
        return base.execute(sql: held) { _ in }.flatMap { self.base.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await flush()
        try await base.execute(sql: query, onRow)
    }

    /// Sends what is held.
    func flush() async throws {
        guard let held = takeHeld() else { return }
        try await base.execute(sql: held) { _ in }
    }

    /// What is held, as one statement (nil if nothing is), and holds nothing more.
    private func takeHeld() -> (any SQLExpression)? {
        defer { held = [] }
        return held.count > 1 ? CombinedWrites(parts: held.map(\.statement)) : held.first?.statement
    }
}

/// Several writes as one PostgreSQL statement: `WITH w0 AS (…), w1 AS (…) <last>`. Each part is
/// serialized alone and its placeholders (`$1`…) renumbered after the parts before it, since a
/// cached statement's text already carries its numbers.
struct CombinedWrites: SQLExpression {
    let parts: [any SQLExpression]

    func serialize(to serializer: inout SQLSerializer) {
        var offset = serializer.binds.count
        for (index, part) in parts.enumerated() {
            var alone = SQLSerializer(database: serializer.database)
            part.serialize(to: &alone)
            let last = index == parts.count - 1
            serializer.write(index == 0 ? "WITH " : last ? " " : ", ")
            if !last { serializer.write("w\(index) AS (") }
            serializer.write(Self.renumbered(alone.sql, by: offset))
            if !last { serializer.write(")") }
            serializer.binds.append(contentsOf: alone.binds)
            offset += alone.binds.count
        }
    }

    /// `$n` → `$(n + offset)`. MotCua's statements put every value in a placeholder, so a `$`
    /// followed by digits is never inside a literal.
    static func renumbered(_ sql: String, by offset: Int) -> String {
        guard offset > 0 else { return sql }
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 16)
        var number: Int?
        func endNumber() {
            if let n = number { out.append(contentsOf: String(n + offset).utf8) }
            number = nil
        }
        var afterDollar = false
        for byte in sql.utf8 {
            if afterDollar, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                number = (number ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                continue
            }
            endNumber()
            afterDollar = byte == UInt8(ascii: "$")
            out.append(byte)
        }
        endNumber()
        return String(decoding: out, as: UTF8.self)
    }
}

extension SQLDatabase {
    /// Runs a statement into `table` whose rows are not read, or, in a `DeferringDatabase`,
    /// holds it to go with the next ones.
    func write(_ statement: any SQLExpression, into table: String) async throws {
        if let deferring = self as? DeferringDatabase {
            try await deferring.hold(statement, into: table)
        } else {
            try await execute(sql: statement) { _ in }
        }
    }

    /// Runs `body` with its writes held on PostgreSQL (see `DeferringDatabase`) and sends them
    /// when it ends; inside another such body, that one sends them. SQLite, with no round trips
    /// to save, runs each at once.
    public func withDeferredWrites<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        guard dialect.name == "postgresql", !(self is DeferringDatabase) else { return try await body(self) }
        let deferring = DeferringDatabase(self)
        let result = try await body(deferring)
        try await deferring.flush()
        return result
    }
}
