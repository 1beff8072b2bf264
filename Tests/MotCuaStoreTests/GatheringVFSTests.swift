import Foundation
@preconcurrency import SQLiteKit
import VaporCSQLite
import Testing
@testable import MotCuaStore

/// The log's writes gathered into one (`GatheringVFS`): fewer writes, and nothing else changes:
/// other connections see a commit at once, a transaction reads back what it spilled, and the
/// file on disk holds every commit.
@Suite struct GatheringVFSTests {
    static func withFile<R>(_ body: (String) throws -> R) throws -> R {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gather-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        return try body(file)
    }

    static func open(_ path: String, _ pragmas: [String] = []) throws -> SQLiteHandle {
        let handle = try SQLiteHandle.open(path: path)
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"] + pragmas { try handle.run(pragma, []) { _ in } }
        return handle
    }

    static func integer(_ handle: SQLiteHandle, _ sql: String) throws -> Int {
        var value = 0
        try handle.run(sql, []) { value = try $0.decode(column: "n", as: Int.self) }
        return value
    }

    static func integrity(_ handle: SQLiteHandle) throws -> String {
        var value = ""
        try handle.run("PRAGMA integrity_check", []) { value = try $0.decode(column: "integrity_check", as: String.self) }
        return value
    }

    static func createTable(on handle: SQLiteHandle) throws {
        try handle.run("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []) { _ in }
    }

    /// `rows` inserted in one transaction.
    static func commit(_ rows: Range<Int>, on handle: SQLiteHandle) throws {
        try handle.run("BEGIN IMMEDIATE", []) { _ in }
        try insert(rows, into: handle)
        try handle.run("COMMIT", []) { _ in }
    }

    /// Rows of about 600 bytes, so that a few dozen fill many pages.
    static func insert(_ rows: Range<Int>, into handle: SQLiteHandle) throws {
        for id in rows {
            try handle.run("INSERT INTO t (id, body) VALUES (?, ?)", [.integer(id), .text(String(repeating: "Hồ sơ \(id) ", count: 60))]) { _ in }
        }
    }

    @Test func aCommitsFramesReachTheFileInOneWrite() throws {
        try Self.withFile { path in
            let handle = try Self.open(path)
            defer { handle.close() }
            try Self.createTable(on: handle)
            let before = try #require(handle.logWrites)
            try Self.commit(0..<200, on: handle)
            let after = try #require(handle.logWrites)
            // Two writes a frame (header, page) for 30 or more pages, sent in parts of up to 30 frames.
            let made = after.made - before.made, sent = after.sent - before.sent
            #expect(made >= 60)
            #expect(sent * 40 <= made)
            // The platform's own file system, for the reference loop: nothing to count.
            let plain = try SQLiteHandle.open(path: path, gatheringLogWrites: false)
            defer { plain.close() }
            try plain.run("INSERT INTO t (id, body) VALUES (1000, 'x')", []) { _ in }
            #expect(plain.logWrites == nil)
        }
    }

    /// With `synchronous = OFF` SQLite never syncs the log: only sending a commit's frames as
    /// soon as its last one is written lets another connection read them.
    @Test(arguments: ["OFF", "NORMAL", "FULL"])
    func anotherConnectionSeesEachCommitAtOnce(synchronous: String) throws {
        try Self.withFile { path in
            let writer = try Self.open(path, ["PRAGMA synchronous = \(synchronous)"])
            let reader = try Self.open(path)
            defer { writer.close(); reader.close() }
            try Self.createTable(on: writer)
            var total = 0
            for size in [1, 3, 40, 2, 120] {
                try Self.commit(total..<(total + size), on: writer)
                total += size
                #expect(try Self.integer(reader, "SELECT count(*) AS n FROM t") == total)
                #expect(try Self.integer(reader, "SELECT sum(length(body)) AS n FROM t") ==
                        (0..<total).reduce(0) { $0 + "Hồ sơ \($1) ".count * 60 })
            }
            #expect(try Self.integrity(reader) == "ok")
        }
    }

    /// A transaction larger than the page cache writes pages to the log before it commits and
    /// reads them back from there; one rolled back leaves nothing.
    @Test func aTransactionLargerThanTheCacheReadsBackWhatItSpilled() throws {
        try Self.withFile { path in
            let writer = try Self.open(path, ["PRAGMA cache_size = 10"])
            let reader = try Self.open(path)
            defer { writer.close(); reader.close() }
            try Self.createTable(on: writer)
            try writer.run("CREATE INDEX t_body ON t (body)", []) { _ in }
            try writer.run("BEGIN IMMEDIATE", []) { _ in }
            try Self.insert(0..<1500, into: writer)
            #expect(try Self.integer(writer, "SELECT count(*) AS n FROM t WHERE body LIKE 'Hồ sơ 1%'") == 611)
            try writer.run("COMMIT", []) { _ in }
            try writer.run("BEGIN IMMEDIATE", []) { _ in }
            try Self.insert(1500..<3000, into: writer)
            try writer.run("UPDATE t SET body = 'đã sửa' WHERE id % 7 = 0", []) { _ in }
            try writer.run("ROLLBACK", []) { _ in }
            #expect(try Self.integer(reader, "SELECT count(*) AS n FROM t") == 1500)
            #expect(try Self.integer(reader, "SELECT count(*) AS n FROM t WHERE body = 'đã sửa'") == 0)
            #expect(try Self.integrity(reader) == "ok")
            #expect(try Self.integrity(writer) == "ok")
        }
    }

    /// The files as a crash would leave them, copied while the connection is open, hold every
    /// commit: the log's frames and their checksums are on disk, not held.
    @Test func theFilesOnDiskHoldEveryCommit() throws {
        try Self.withFile { path in
            let writer = try Self.open(path, ["PRAGMA wal_autocheckpoint = 0"])
            defer { writer.close() }
            try Self.createTable(on: writer)
            for start in stride(from: 0, to: 300, by: 30) {
                try Self.commit(start..<(start + 30), on: writer)
            }
            let copy = path + ".copy"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
            let recovered = try Self.open(copy)
            defer { recovered.close() }
            #expect(try Self.integer(recovered, "SELECT count(*) AS n FROM t") == 300)
            #expect(try Self.integrity(recovered) == "ok")
        }
    }

    /// A transaction rolled back after spilling pages leaves writes held; another connection
    /// then commits frames at the same place. Sent later, the held writes would overwrite them:
    /// they are sent before the first connection's write lock is released.
    @Test(arguments: [40, 80, 160])
    func aRolledBackSpillNeverLandsOverAnotherConnectionsCommit(spilled rows: Int) throws {
        try Self.withFile { path in
            let first = try Self.open(path, ["PRAGMA cache_size = 10"])
            let second = try Self.open(path)
            defer { first.close(); second.close() }
            try Self.createTable(on: first)
            // Every page in the database file: rolling back then reads nothing from the log.
            try first.run("PRAGMA wal_checkpoint(TRUNCATE)", []) { _ in }
            try first.run("BEGIN IMMEDIATE", []) { _ in }
            try Self.insert(0..<rows, into: first)
            #expect(try #require(first.logWrites).held > 0, "the spill's last frames are held")
            try first.run("ROLLBACK", []) { _ in }
            #expect(try #require(first.logWrites).held == 0, "and sent before the write lock is released")
            try Self.commit(1000..<1400, on: second)
            // The first connection's next use of its log would send anything it still held.
            #expect(try Self.integer(first, "SELECT count(*) AS n FROM t") == 400)
            #expect(try Self.integer(second, "SELECT count(*) AS n FROM t") == 400)
            #expect(try Self.integrity(second) == "ok")
            #expect(try Self.integrity(first) == "ok")
        }
    }

    /// Without power-safe overwrites SQLite pads a commit to a sector boundary and syncs in the
    /// middle of a frame: such a log is the platform's own, not gathered.
    @Test func aLogWithoutPowerSafeOverwritesIsNotGathered() throws {
        try Self.withFile { path in
            let writer = try SQLiteHandle.open(path: "file:\(path)?psow=0")
            let reader = try Self.open(path)
            defer { writer.close(); reader.close() }
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = OFF"] { try writer.run(pragma, []) { _ in } }
            try Self.createTable(on: writer)
            try Self.insert(0..<30, into: writer)
            #expect(writer.logWrites == nil)
            #expect(reader.logWrites == nil || reader.logWrites?.made == 0)
            #expect(try Self.integer(reader, "SELECT count(*) AS n FROM t") == 30)
        }
    }

    /// A platform file whose writes fail as a full disk would.
    nonisolated(unsafe) static let fullDisk: UnsafeMutablePointer<sqlite3_io_methods> = {
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: sqlite3_io_methods())
        methods.pointee.iVersion = 1
        methods.pointee.xWrite = { _, _, _, _ in SQLITE_FULL }
        methods.pointee.xRead = { _, _, _, _ in SQLITE_OK }
        return methods
    }()

    /// Held writes were made earlier, perhaps by an earlier statement: failing to send them must
    /// roll back the whole transaction (an I/O error), not the statement at hand (a full disk).
    @Test func aFailedSendOfHeldWritesIsAnIOError() throws {
        let object = UnsafeMutableRawPointer.allocate(byteCount: GatheringVFS.realOffset + 64, alignment: 16)
        defer { object.deallocate() }
        let log = object.assumingMemoryBound(to: sqlite3_file.self)
        log.pointee.pMethods = UnsafePointer(GatheringVFS.logMethods)
        GatheringVFS.state(log).initialize(to: GatheringVFS.State())
        defer { free(GatheringVFS.state(log).pointee.buffer); GatheringVFS.state(log).deinitialize(count: 1) }
        GatheringVFS.real(log).pointee.pMethods = UnsafePointer(Self.fullDisk)
        let methods = GatheringVFS.logMethods.pointee
        var header = [UInt8](repeating: 0, count: 24), page = [UInt8](repeating: 7, count: 4096)
        // A frame that is not a commit's: held, so its write succeeds.
        #expect(methods.xWrite!(log, &header, 24, 32) == SQLITE_OK)
        #expect(methods.xWrite!(log, &page, 4096, 56) == SQLITE_OK)
        #expect(GatheringVFS.state(log).pointee.count == 4120)
        var read = [UInt8](repeating: 0, count: 4096)
        #expect(methods.xRead!(log, &read, 4096, 56) == GatheringVFS.ioErrorWrite)
        // A write sent at once reports what the platform said.
        header[7] = 1
        #expect(methods.xWrite!(log, &header, 24, 4152) == SQLITE_FULL)
    }

    /// A platform file without shared memory keeps looking that way, so SQLite refuses WAL
    /// mode instead of calling methods that are not there.
    @Test func aDatabaseWithoutSharedMemoryDoesNotLookAsIfItHadIt() {
        var partial = sqlite3_io_methods()
        partial.iVersion = 1
        let chosen = GatheringVFS.databaseMethods(over: partial)
        #expect(chosen.pointee.iVersion == 1 && chosen.pointee.xShmMap == nil && chosen.pointee.xFetch == nil)
        var complete = partial
        complete.iVersion = 3
        complete.xShmMap = { _, _, _, _, _ in SQLITE_OK }
        complete.xShmLock = { _, _, _, _ in SQLITE_OK }
        complete.xShmBarrier = { _ in }
        complete.xShmUnmap = { _, _ in SQLITE_OK }
        complete.xFetch = { _, _, _, _ in SQLITE_OK }
        complete.xUnfetch = { _, _, _ in SQLITE_OK }
        let full = GatheringVFS.databaseMethods(over: complete)
        #expect(full == GatheringVFS.databaseMethods && full.pointee.iVersion == 3 && full.pointee.xShmLock != nil)
    }
}
