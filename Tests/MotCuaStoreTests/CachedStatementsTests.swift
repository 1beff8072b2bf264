import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaStore

/// Cached statement text: built once per dialect, and each value lands where the builder put its
/// placeholder, whatever order the builder used them in.
@Suite struct CachedStatementsTests {
    final class Builds: @unchecked Sendable {
        let lock = NSLock()
        var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test(arguments: TestDatabases.kinds)
    func valuesLandInTheirPlacesAndTheTextIsBuiltOnce(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let key = "test.notes.\(UUID().uuidString)"
            let builds = Builds()
            try await database.withConnection { db in
                try await db.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, body TEXT, amount INTEGER NOT NULL)").run()
                // The builder uses the values out of order and binds a constant of its own.
                for (id, body, amount) in [(1, "một", 10), (2, "hai", 20), (3, nil, 30)] as [(Int, String?, Int)] {
                    try await db.cached(key, [amount, body, id]) { db, v in
                        builds.add()
                        return db.insert(into: "notes").columns("id", "kind", "body", "amount")
                            .values(v[2], SQLBind("ghi chú"), v[1], v[0])
                    }.run()
                }
                #expect(builds.value == 1)
                let rows = try await db.select().columns("id", "kind", "body", "amount").from("notes").orderBy("id").all()
                let read = try rows.map { row in
                    "\(try row.decode(column: "id", as: Int.self)) \(try row.decode(column: "kind", as: String.self)) "
                        + "\(try row.decode(column: "body", as: String?.self) ?? "-") \(try row.decode(column: "amount", as: Int.self))"
                }
                #expect(read == ["1 ghi chú một 10", "2 ghi chú hai 20", "3 ghi chú - 30"])
                // A cached select: the same placeholder order rule, and no row is no row.
                let selectKey = "test.notes.select.\(UUID().uuidString)"
                func body(_ id: Int, _ least: Int) async throws -> String? {
                    try await db.cached(selectKey, [least, id]) { db, v in
                        db.select().column("body").from("notes").where("id", .equal, v[1]).where("amount", .greaterThanOrEqual, v[0]).limit(1)
                    }.first(decodingColumn: "body", as: String?.self) ?? nil
                }
                #expect(try await body(2, 15) == "hai")
                #expect(try await body(2, 25) == nil)
            }
        }
    }

    @Test func textsPastTheLimitAreBuiltEachTimeAndNotKept() {
        var kept: [String: CachedStatements.Template] = [:]
        for n in 0..<5 {
            CachedStatements.keep(.init(sql: "SELECT \(n)", slots: []), at: "shape \(n)", in: &kept, limit: 3)
        }
        #expect(kept.keys.sorted() == ["shape 0", "shape 1", "shape 2"])
        #expect(CachedStatements.maxTemplates == 4096)
    }
}
