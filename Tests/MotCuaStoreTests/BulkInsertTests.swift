import Foundation
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// Bulk writes (COPY on PostgreSQL) keep every value as it was: text with tabs, line breaks and
/// backslashes, Vietnamese letters, NULLs, integers and booleans.
@Suite struct BulkInsertTests {
    @Test(arguments: TestDatabases.kinds)
    func bulkRowsReadBackAsWritten(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let rows: [[any Encodable & Sendable]] = [
                ["a", "Tờ khai\tmột\nhai\r\nba \\N \\ cuối", 42, true, "x" as String?],
                ["b", "", -7, false, nil as String?],
            ]
            let read = try await database.transaction { db in
                try await db.raw("CREATE TABLE bulk_check (k TEXT PRIMARY KEY, t TEXT NOT NULL, n BIGINT NOT NULL, b BOOLEAN NOT NULL, o TEXT)").run()
                try await db.bulkInsert(into: "bulk_check", columns: ["k", "t", "n", "b", "o"], rows)
                return try await db.select().columns("k", "t", "n", "b", "o").from("bulk_check").orderBy("k").all().map { row in
                    [try row.decode(column: "t", as: String.self), String(try row.decode(column: "n", as: Int.self)),
                     String(try row.decode(column: "b", as: Bool.self)), try row.decode(column: "o", as: String?.self) ?? "NULL"]
                }
            }
            #expect(read == [["Tờ khai\tmột\nhai\r\nba \\N \\ cuối", "42", "true", "x"], ["", "-7", "false", "NULL"]])
        }
    }
}
