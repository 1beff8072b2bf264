import Foundation
import VaporCSQLite

/// The platform's SQLite file system with one change: a write-ahead log's consecutive writes
/// are gathered and sent as one.
///
/// SQLite writes each WAL frame as two writes, its 24-byte header and then its page. A batch of
/// intakes commits about 80 frames, so 160 `pwrite` calls: a fifth of the writer thread's time
/// (a profile, BENCHMARKS.md "2026-12-05 (afternoon)"). Here they go as a few (see `capacity`).
///
/// Nothing is held past the point where it could matter:
/// - a commit frame, once complete, is sent at once: before SQLite syncs the log and before it
///   shows the frames to other connections, whatever `synchronous` says;
/// - anything else done to the log (a read, a sync, its size, a truncation, closing it) and
///   any write that does not follow on from the held ones sends what is held first, so writes
///   reach the file in the order SQLite made them;
/// - so does any change to the database's shared-memory locks: a rolled-back transaction's
///   spilled frames are sent before its write lock is released, never over frames another
///   connection wrote after it.
/// The database file is otherwise the platform's; the methods are in `GatheringVFS+Methods`,
/// the log's writes in `GatheringVFS+Log`.
enum GatheringVFS {
    static let name = "motcua-gathering"

    /// Registers the file system once; the name to open connections with.
    static var registeredName: String {
        _ = registration
        return name
    }

    /// The most held for one log: a longer run of writes is sent in parts of about this size.
    /// SQLite's Unix file system writes at most 128 KiB less a byte in one call (it masks the
    /// length with 0x1ffff), so a part stays under that.
    static let capacity = 0x1F000

    /// What this file system keeps in a file object, besides the platform's own.
    struct State {
        /// A log's writes not yet sent: `count` bytes from `start`.
        var buffer: UnsafeMutableRawPointer?
        var start: Int64 = 0
        var count = 0
        /// Where the page of a commit frame whose header was just written starts; -1 if none.
        var commitPage: Int64 = -1
        /// How many writes SQLite made to a log, and how many reached the platform's file: for tests.
        var made = 0
        var sent = 0
        /// A log's database file, or a database's log.
        var partner: UnsafeMutablePointer<sqlite3_file>?
    }

    // Both are set once, when first used, and only read after.
    nonisolated(unsafe) static let base: UnsafeMutablePointer<sqlite3_vfs> = {
        guard let found = sqlite_nio_sqlite3_vfs_find(nil) else { fatalError("SQLite has no default file system") }
        return found
    }()

    /// Where, in the file object SQLite allocates, the platform's own file object starts: after
    /// our `sqlite3_file` (its methods) and our `State`.
    static let realOffset = (MemoryLayout<sqlite3_file>.stride + MemoryLayout<State>.stride + 15) & ~15

    private static let registration: Void = {
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        // The platform's methods all stay, with its own data (only its `xOpen` reads that, and
        // it is always given the platform's file system); opening a file and the size of a file
        // object change.
        vfs.initialize(to: base.pointee)
        vfs.pointee.pNext = nil
        vfs.pointee.zName = UnsafePointer(strdup(name))
        vfs.pointee.szOsFile = Int32(realOffset) + base.pointee.szOsFile
        vfs.pointee.xOpen = { _, path, file, flags, outFlags in
            guard let file else { return SQLITE_MISUSE }
            if flags & SQLITE_OPEN_WAL != 0 { return GatheringVFS.openLog(path, file, flags, outFlags) }
            if flags & SQLITE_OPEN_MAIN_DB != 0 { return GatheringVFS.openDatabase(path, file, flags, outFlags) }
            // Any other file (a journal, a temporary file) is the platform's, from the start of the object.
            return GatheringVFS.base.pointee.xOpen!(GatheringVFS.base, path, file, flags, outFlags)
        }
        let code = sqlite_nio_sqlite3_vfs_register(vfs, 0)
        precondition(code == SQLITE_OK, "SQLite refused the gathering file system (\(code))")
    }()

    /// Opens the platform's file after our part of the object and, once open, puts in front the
    /// methods `over` picks for the platform file's own.
    static func open(_ path: sqlite3_filename?, _ file: UnsafeMutablePointer<sqlite3_file>, _ flags: Int32,
                     _ outFlags: UnsafeMutablePointer<Int32>?,
                     over: (sqlite3_io_methods) -> UnsafeMutablePointer<sqlite3_io_methods>) -> Int32 {
        let code = base.pointee.xOpen!(base, path, real(file), flags, outFlags)
        guard code == SQLITE_OK else {
            file.pointee.pMethods = nil
            return code
        }
        state(file).initialize(to: State())
        file.pointee.pMethods = UnsafePointer(over(real(file).pointee.pMethods.pointee))
        return SQLITE_OK
    }

    /// Ends our part of a file object and closes the platform's file.
    static func close(_ file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        if let partner = state(file).pointee.partner { state(partner).pointee.partner = nil }
        free(state(file).pointee.buffer)
        state(file).deinitialize(count: 1)
        let target = real(file)
        let code = target.pointee.pMethods.pointee.xClose!(target)
        file.pointee.pMethods = nil
        return code
    }

    static func real(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<sqlite3_file> {
        (UnsafeMutableRawPointer(file) + realOffset).assumingMemoryBound(to: sqlite3_file.self)
    }

    static func state(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<State> {
        (UnsafeMutableRawPointer(file) + MemoryLayout<sqlite3_file>.stride).assumingMemoryBound(to: State.self)
    }

    /// The writes SQLite made to the log of `connection`'s main database, those that reached the
    /// platform's file, and the bytes held; nil when that log is not open or not gathered.
    static func counts(of connection: OpaquePointer) -> (made: Int, sent: Int, held: Int)? {
        var log: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite_nio_sqlite3_file_control(connection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) == SQLITE_OK,
              let log, log.pointee.pMethods == UnsafePointer(logMethods)
        else { return nil }
        return (state(log).pointee.made, state(log).pointee.sent, state(log).pointee.count)
    }
}
