import Foundation
import NIOCore
@preconcurrency import SQLiteKit
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// MotCua's own SQLite connection: statements kept prepared, values as SQLite stores them, and
/// nothing held open between statements.
@Suite struct SQLiteHandleTests {
    static func withHandles<R>(_ count: Int = 1, _ body: ([SQLiteHandle]) throws -> R) throws -> R {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("handle-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        let handles = try (0..<count).map { _ in try SQLiteHandle.open(path: file) }
        defer { handles.forEach { $0.close() } }
        try handles[0].run("PRAGMA journal_mode = WAL", []) { _ in }
        return try body(handles)
    }

    static func rows(_ handle: SQLiteHandle, _ sql: String, _ binds: [SQLiteData] = []) throws -> [SQLiteResultRow] {
        var rows: [SQLiteResultRow] = []
        try handle.run(sql, binds) { rows.append($0) }
        return rows
    }

    @Test func aRepeatedStatementIsPreparedOnce() throws {
        try Self.withHandles { handles in
            let db = handles[0]
            try db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)", []) { _ in }
            let kept = db.cachedCount
            for (id, name) in [(1, "Hà Nội"), (2, "Huế"), (3, "Cần Thơ")] {
                try db.run("INSERT INTO t (id, name) VALUES (?, ?)", [.integer(id), .text(name)]) { _ in }
            }
            #expect(db.cachedCount == kept + 1)
            // The kept statement takes new values each time.
            #expect(try Self.rows(db, "SELECT name FROM t WHERE id = ?", [.integer(2)]).map { try $0.decode(column: "name", as: String.self) } == ["Huế"])
            #expect(try Self.rows(db, "SELECT name FROM t WHERE id = ?", [.integer(3)]).map { try $0.decode(column: "name", as: String.self) } == ["Cần Thơ"])
            #expect(db.cachedCount == kept + 2)
        }
    }

    @Test func aKeptReadHoldsNoSnapshot() throws {
        try Self.withHandles(2) { handles in
            let (reader, writer) = (handles[0], handles[1])
            try writer.run("CREATE TABLE t (id INTEGER PRIMARY KEY)", []) { _ in }
            try writer.run("INSERT INTO t (id) VALUES (1), (2)", []) { _ in }
            // Stopped after its first row by a failing caller: a statement not reset would keep its
            // read transaction, and the connection would go on seeing that snapshot.
            struct Stop: Error {}
            var first: Int?
            #expect(throws: Stop.self) {
                try reader.run("SELECT id FROM t ORDER BY id", []) { row in
                    first = try row.decode(column: "id", as: Int.self)
                    throw Stop()
                }
            }
            #expect(first == 1)
            try writer.run("INSERT INTO t (id) VALUES (3)", []) { _ in }
            #expect(try Self.rows(reader, "SELECT id FROM t ORDER BY id").count == 3)
            // And the writer can checkpoint the whole log: no reader pins it.
            var busy = -1
            try writer.run("PRAGMA wal_checkpoint(TRUNCATE)", []) { busy = (try? $0.decode(column: "busy", as: Int.self)) ?? -1 }
            #expect(busy == 0)
        }
    }

    @Test func valuesComeBackAsStored() throws {
        try Self.withHandles { handles in
            let db = handles[0]
            try db.run("CREATE TABLE v (i INTEGER, f REAL, t TEXT, b BLOB, n TEXT)", []) { _ in }
            let text = "Nguyễn Thị Ánh\u{0}sau"
            try db.run("INSERT INTO v VALUES (?, ?, ?, ?, ?)",
                       [.integer(Int.max), .float(2.5), .text(text), .blob(ByteBuffer(bytes: [0, 1, 255])), .null]) { _ in }
            try db.run("INSERT INTO v VALUES (?, ?, ?, ?, ?)", [.integer(-1), .float(0), .text(""), .blob(ByteBuffer()), .null]) { _ in }
            let rows = try Self.rows(db, "SELECT i, f, t, b, n, typeof(t) AS tt, typeof(b) AS bt FROM v ORDER BY rowid")
            #expect(rows.map(\.values[0]) == [.integer(Int.max), .integer(-1)])
            #expect(rows.map(\.values[1]) == [.float(2.5), .float(0)])
            #expect(rows.map(\.values[2]) == [.text(text), .text("")])
            #expect(rows.map(\.values[3]) == [.blob(ByteBuffer(bytes: [0, 1, 255])), .blob(ByteBuffer())])
            // Empty text and an empty blob are values, not NULL.
            #expect(try rows[1].decode(column: "tt", as: String.self) == "text")
            #expect(try rows[1].decode(column: "bt", as: String.self) == "blob")
            #expect(try rows[0].decodeNil(column: "n"))
            #expect(try !rows[0].decodeNil(column: "t"))
            #expect(rows[0].allColumns == ["i", "f", "t", "b", "n", "tt", "bt"])
            // A name given twice finds its first column, as with sqlite-nio.
            #expect(try Self.rows(db, "SELECT 1 AS x, 2 AS x")[0].decode(column: "x", as: Int.self) == 1)
        }
    }

    @Test func mistakesAreRefusedWithWhatWentWrong() throws {
        try Self.withHandles { handles in
            let db = handles[0]
            try db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", []) { _ in }
            #expect { try db.run("INSERT INTO t (id, name) VALUES (?, ?)", [.integer(1)]) { _ in } } throws: {
                "\($0)".contains("takes 2 values, given 1")
            }
            // The kept statement is whole again after the refusal.
            try db.run("INSERT INTO t (id, name) VALUES (?, ?)", [.integer(9), .text("Đà Lạt")]) { _ in }
            try db.run("DELETE FROM t", []) { _ in }
            // sqlite-nio ran the first of several statements and dropped the rest silently.
            #expect { try db.run("INSERT INTO t VALUES (1, 'a'); DELETE FROM t", []) { _ in } } throws: {
                "\($0)".contains("more than one statement")
            }
            #expect(try Self.rows(db, "SELECT COUNT(*) AS n FROM t")[0].decode(column: "n", as: Int.self) == 0)
            #expect { try db.run("INSERT INTO t (id, name) VALUES (?, NULL)", [.integer(1)]) { _ in } } throws: {
                ($0 as? SQLiteFailure)?.description.contains("NOT NULL constraint failed: t.name") == true
            }
            #expect { try db.run("SELEKT 1", []) { _ in } } throws: { ($0 as? SQLiteFailure)?.message.contains("syntax error") == true }
            #expect { try Self.rows(db, "SELECT 1 AS one")[0].decode(column: "two", as: Int.self) } throws: { "\($0)".contains("no column two") }
            db.close()
            #expect { try db.run("SELECT 1", []) { _ in } } throws: { "\($0)".contains("closed") }
        }
    }

    @Test func aKeptStatementSeesTheNewSchema() throws {
        try Self.withHandles(2) { handles in
            let db = handles[0]
            try db.run("CREATE TABLE t (a INTEGER)", []) { _ in }
            try db.run("INSERT INTO t VALUES (1)", []) { _ in }
            #expect(try Self.rows(db, "SELECT * FROM t")[0].allColumns == ["a"])
            try db.run("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'mới'", []) { _ in }
            let row = try Self.rows(db, "SELECT * FROM t")[0]
            #expect(row.allColumns == ["a", "b"])
            #expect(try row.decode(column: "b", as: String.self) == "mới")
            // A rename keeps the number of columns: the names are read again all the same.
            try db.run("ALTER TABLE t RENAME COLUMN b TO c", []) { _ in }
            #expect(try Self.rows(db, "SELECT * FROM t")[0].allColumns == ["a", "c"])
            // So does a change made on another connection (a migration runs on the writer's):
            // SQLite prepares the kept statement again, and its names are read again.
            try handles[1].run("ALTER TABLE t RENAME COLUMN c TO d", []) { _ in }
            #expect(try Self.rows(db, "SELECT * FROM t")[0].allColumns == ["a", "d"])
        }
    }

    @Test func sqlKitRunsStatementsThroughEitherInterface() async throws {
        final class Rows: @unchecked Sendable {
            let lock = NSLock()
            var values: [Int] = []
            func add(_ value: Int) { lock.withLock { values.append(value) } }
        }
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let handle = try Self.withHandles { handles in
            try handles[0].run("CREATE TABLE t (n INTEGER)", []) { _ in }
            let db = SQLiteHandleDatabase(handle: handles[0], logger: TestDatabases.logger, eventLoop: loop)
            let rows = Rows()
            try db.execute(sql: SQLRaw("INSERT INTO t VALUES (1), (2)")) { _ in }.wait()
            try db.execute(sql: SQLRaw("SELECT n FROM t ORDER BY n")) { rows.add((try? $0.decode(column: "n", as: Int.self)) ?? -1) }.wait()
            return (db, rows)
        }
        #expect(handle.1.values == [1, 2])
    }

    @Test func aFileMayBeNamedByURI() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("uri-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let handle = try SQLiteHandle.open(path: "file:\(file)?mode=rwc")
        try handle.run("CREATE TABLE t (n INTEGER)", []) { _ in }
        handle.close()
        #expect(FileManager.default.fileExists(atPath: file))
    }

    @Test func theCacheIsBounded() throws {
        try Self.withHandles { handles in
            let db = handles[0]
            for n in 0..<(SQLiteHandle.cacheCapacity + 20) {
                let read = try Self.rows(db, "SELECT \(n) AS n")[0].decode(column: "n", as: Int.self)
                #expect(read == n)
            }
            #expect(db.cachedCount == SQLiteHandle.cacheCapacity)
            // A text too long to keep runs all the same.
            let long = "SELECT 7 AS n" + String(repeating: " ", count: SQLiteHandle.longestCached)
            let seven = try Self.rows(db, long)[0].decode(column: "n", as: Int.self)
            #expect(seven == 7)
            #expect(db.cachedCount == SQLiteHandle.cacheCapacity)
        }
    }
}

/// A read blocks the thread its statements run on, so reads get threads of their own: Swift's
/// few cooperative threads (one per core) go on serving requests while every reader is busy.
@Suite(.timeLimit(.minutes(1))) struct SQLiteReaderThreadsTests {
    final class Gate: @unchecked Sendable {
        let lock = NSLock()
        var entered = 0
        let release = DispatchSemaphore(value: 0)
    }

    @Test func busyReadersLeaveTheCooperativeThreadsFree() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        let readers = max(4, ProcessInfo.processInfo.activeProcessorCount + 1)
        let database = try Database.open(.sqlite(path: file), logger: TestDatabases.logger, maxConnections: readers)
        let gate = Gate()
        let released = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<readers {
                group.addTask {
                    try await database.withConnection { db in
                        _ = try await db.raw("SELECT 1 AS one").all()
                        gate.lock.withLock { gate.entered += 1 }
                        // Inline on a cooperative thread, this wait would hold it: with every one
                        // held, nothing below could run to let the readers go before the timeout.
                        return gate.release.wait(timeout: .now() + 5) == .success
                    }
                }
            }
            while gate.lock.withLock({ gate.entered }) < readers { try await Task.sleep(for: .milliseconds(5)) }
            for _ in 0..<readers { gate.release.signal() }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        try await database.close()
        #expect(released == Array(repeating: true, count: readers))
    }
}
