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
/// - anything else done to the file (a read, a sync, its size, a truncation, closing it) and
///   any write that does not follow on from the held ones sends what is held first, so writes
///   reach the file in the order SQLite made them.
/// Other files (the database, its shared memory) are the platform's own, untouched.
enum GatheringVFS {
    static let name = "motcua-gathering"

    /// Registers the file system once; the name to open connections with.
    static var registeredName: String {
        _ = registration
        return name
    }

    /// The most held for one file: a longer run of writes is sent in parts of about this size.
    /// SQLite's Unix file system writes at most 128 KiB less a byte in one call (it masks the
    /// length with 0x1ffff), so a part stays under that.
    static let capacity = 0x1F000

    // Both are set once, when first used, and only read after.
    nonisolated(unsafe) private static let base: UnsafeMutablePointer<sqlite3_vfs> = {
        guard let found = sqlite_nio_sqlite3_vfs_find(nil) else { fatalError("SQLite has no default file system") }
        return found
    }()

    /// Where, in the file object SQLite allocates, the platform's own file object starts: after
    /// our `sqlite3_file` (its methods) and our `Held` state.
    private static let realOffset = (MemoryLayout<sqlite3_file>.stride + MemoryLayout<Held>.stride + 15) & ~15

    private static let registration: Void = {
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        // The platform's methods all stay, with its own data (they read it through the pointer
        // they are given); only opening a file and the size of a file object change.
        vfs.initialize(to: base.pointee)
        vfs.pointee.pNext = nil
        vfs.pointee.zName = UnsafePointer(strdup(name))
        vfs.pointee.szOsFile = Int32(realOffset) + base.pointee.szOsFile
        vfs.pointee.xOpen = { _, path, file, flags, outFlags in
            GatheringVFS.open(path, file, flags, outFlags)
        }
        let code = sqlite_nio_sqlite3_vfs_register(vfs, 0)
        precondition(code == SQLITE_OK, "SQLite refused the gathering file system (\(code))")
    }()

    /// What a log's file object holds besides the platform's: the writes not yet sent.
    struct Held {
        var buffer: UnsafeMutableRawPointer?
        var start: Int64 = 0
        var count = 0
        /// A commit frame's header is held: the page that follows it ends the commit.
        var commitHeader = false
        /// How many writes SQLite made, and how many reached the platform's file: for tests.
        var made = 0
        var sent = 0
    }

    /// The writes SQLite made to the log of `connection`'s main database and those that reached
    /// the platform's file; nil when that log is not open or not gathered.
    static func counts(of connection: OpaquePointer) -> (made: Int, sent: Int)? {
        var log: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite_nio_sqlite3_file_control(connection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) == SQLITE_OK,
              let log, log.pointee.pMethods == UnsafePointer(methods)
        else { return nil }
        return (held(log).pointee.made, held(log).pointee.sent)
    }

    private static func open(_ path: sqlite3_filename?, _ file: UnsafeMutablePointer<sqlite3_file>?, _ flags: Int32,
                             _ outFlags: UnsafeMutablePointer<Int32>?) -> Int32 {
        guard let file else { return SQLITE_MISUSE }
        guard flags & SQLITE_OPEN_WAL != 0 else {
            // Any other file is the platform's, laid out from the start of the object.
            return base.pointee.xOpen!(base, path, file, flags, outFlags)
        }
        let code = base.pointee.xOpen!(base, path, real(file), flags, outFlags)
        guard code == SQLITE_OK else {
            file.pointee.pMethods = nil
            return code
        }
        held(file).initialize(to: Held())
        file.pointee.pMethods = UnsafePointer(methods)
        return SQLITE_OK
    }

    private static func real(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<sqlite3_file> {
        (UnsafeMutableRawPointer(file) + realOffset).assumingMemoryBound(to: sqlite3_file.self)
    }

    private static func held(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<Held> {
        (UnsafeMutableRawPointer(file) + MemoryLayout<sqlite3_file>.stride).assumingMemoryBound(to: Held.self)
    }

    /// Sends what is held, as one write.
    private static func send(_ file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        let state = held(file)
        state.pointee.commitHeader = false
        guard state.pointee.count > 0, let buffer = state.pointee.buffer else { return SQLITE_OK }
        let (count, start) = (state.pointee.count, state.pointee.start)
        // Sent or not, it is no longer held: a failed write is SQLite's to handle (it rolls back).
        state.pointee.count = 0
        return direct(file, buffer, Int32(count), start)
    }

    /// One write to the platform's file.
    private static func direct(_ file: UnsafeMutablePointer<sqlite3_file>, _ data: UnsafeRawPointer, _ amount: Int32,
                               _ offset: Int64) -> Int32 {
        held(file).pointee.sent += 1
        let target = real(file)
        return target.pointee.pMethods.pointee.xWrite!(target, data, amount, offset)
    }

    private static func write(_ file: UnsafeMutablePointer<sqlite3_file>, _ data: UnsafeRawPointer, _ amount: Int32,
                              _ offset: Int64) -> Int32 {
        let state = held(file)
        state.pointee.made += 1
        let count = Int(amount)
        // A frame header is 24 bytes; the second of its words is the database's size after a
        // commit, zero in any other frame.
        let isCommitHeader = amount == 24 && data.loadUnaligned(fromByteOffset: 4, as: UInt32.self) != 0
        // This write is the page of a commit frame whose header was just written.
        let endsCommit = state.pointee.commitHeader
        let follows = state.pointee.count > 0 && offset == state.pointee.start + Int64(state.pointee.count)
        if !follows || state.pointee.count + count > capacity {
            let code = send(file)
            guard code == SQLITE_OK else { return code }
            if isCommitHeader || count > capacity {
                // A commit frame's header that starts nothing may be the last write before the
                // frames are shown (checksums rewritten at a commit), so it is not held.
                let code = direct(file, data, amount, offset)
                state.pointee.commitHeader = isCommitHeader && code == SQLITE_OK
                return code
            }
            state.pointee.start = offset
        }
        if state.pointee.buffer == nil {
            guard let buffer = malloc(capacity) else { return SQLITE_NOMEM }
            state.pointee.buffer = buffer
        }
        (state.pointee.buffer! + state.pointee.count).copyMemory(from: data, byteCount: count)
        state.pointee.count += count
        if isCommitHeader {
            state.pointee.commitHeader = true
            return SQLITE_OK
        }
        return endsCommit ? send(file) : SQLITE_OK
    }

    private static func close(_ file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        let sending = send(file)
        let state = held(file)
        free(state.pointee.buffer)
        state.deinitialize(count: 1)
        let target = real(file)
        let closing = target.pointee.pMethods.pointee.xClose!(target)
        file.pointee.pMethods = nil
        return sending != SQLITE_OK ? sending : closing
    }

    /// A method of the platform's file, called once what is held has been sent.
    private static func afterSending(_ file: UnsafeMutablePointer<sqlite3_file>?,
                                     _ call: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32) -> Int32 {
        guard let file else { return SQLITE_MISUSE }
        let code = send(file)
        guard code == SQLITE_OK else { return code }
        let target = real(file)
        return call(target, target.pointee.pMethods.pointee)
    }

    /// Version 1: a log needs neither shared memory nor memory mapping.
    nonisolated(unsafe) private static let methods: UnsafeMutablePointer<sqlite3_io_methods> = {
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(to: sqlite3_io_methods(
            iVersion: 1,
            xClose: { file in file.map(GatheringVFS.close) ?? SQLITE_MISUSE },
            xRead: { file, data, amount, offset in
                GatheringVFS.afterSending(file) { target, real in real.xRead!(target, data, amount, offset) }
            },
            xWrite: { file, data, amount, offset in
                guard let file, let data else { return SQLITE_MISUSE }
                return GatheringVFS.write(file, data, amount, offset)
            },
            xTruncate: { file, size in GatheringVFS.afterSending(file) { target, real in real.xTruncate!(target, size) } },
            xSync: { file, flags in GatheringVFS.afterSending(file) { target, real in real.xSync!(target, flags) } },
            xFileSize: { file, size in GatheringVFS.afterSending(file) { target, real in real.xFileSize!(target, size) } },
            xLock: { file, lock in GatheringVFS.afterSending(file) { target, real in real.xLock!(target, lock) } },
            xUnlock: { file, lock in GatheringVFS.afterSending(file) { target, real in real.xUnlock!(target, lock) } },
            xCheckReservedLock: { file, out in
                GatheringVFS.afterSending(file) { target, real in real.xCheckReservedLock!(target, out) }
            },
            xFileControl: { file, op, argument in
                GatheringVFS.afterSending(file) { target, real in real.xFileControl!(target, op, argument) }
            },
            xSectorSize: { file in
                guard let file else { return 0 }
                let target = GatheringVFS.real(file)
                return target.pointee.pMethods.pointee.xSectorSize!(target)
            },
            xDeviceCharacteristics: { file in
                guard let file else { return 0 }
                let target = GatheringVFS.real(file)
                return target.pointee.pMethods.pointee.xDeviceCharacteristics!(target)
            },
            xShmMap: nil, xShmLock: nil, xShmBarrier: nil, xShmUnmap: nil, xFetch: nil, xUnfetch: nil))
        return methods
    }()
}
