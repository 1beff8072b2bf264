import Foundation
import VaporCSQLite

/// A write-ahead log's file: its consecutive writes held and sent together (see `GatheringVFS`).
extension GatheringVFS {
    static func openLog(_ path: sqlite3_filename?, _ file: UnsafeMutablePointer<sqlite3_file>, _ flags: Int32,
                        _ outFlags: UnsafeMutablePointer<Int32>?) -> Int32 {
        // A database that does not promise power-safe overwrites (`psow=0`) has SQLite pad each
        // commit to a sector boundary and sync in the middle of a frame: its log stays the
        // platform's, as does one whose database is not this file system's.
        guard let path, let database = sqlite_nio_sqlite3_database_file_object(path),
              database.pointee.pMethods == UnsafePointer(databaseMethods),
              database.pointee.pMethods.pointee.xDeviceCharacteristics!(database) & SQLITE_IOCAP_POWERSAFE_OVERWRITE != 0
        else { return base.pointee.xOpen!(base, path, file, flags, outFlags) }
        let code = open(path, file, flags, outFlags, over: { _ in logMethods })
        if code == SQLITE_OK {
            state(file).pointee.partner = database
            state(database).pointee.partner = file
        }
        return code
    }

    /// `SQLITE_IOERR_WRITE`, a macro Swift does not import.
    static let ioErrorWrite = SQLITE_IOERR | (3 << 8)

    /// Sends what `log` holds, as one write. A failure is an I/O error whatever the platform
    /// said: the writes were made earlier, perhaps by an earlier statement, so SQLite must roll
    /// back the whole transaction (a full disk would roll back only the statement at hand).
    static func send(_ log: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        let held = state(log)
        held.pointee.commitPage = -1
        guard held.pointee.count > 0, let buffer = held.pointee.buffer else { return SQLITE_OK }
        let (count, start) = (held.pointee.count, held.pointee.start)
        held.pointee.count = 0
        return direct(log, buffer, Int32(count), start) == SQLITE_OK ? SQLITE_OK : ioErrorWrite
    }

    /// One write to the platform's file.
    private static func direct(_ log: UnsafeMutablePointer<sqlite3_file>, _ data: UnsafeRawPointer, _ amount: Int32,
                               _ offset: Int64) -> Int32 {
        state(log).pointee.sent += 1
        let target = real(log)
        return target.pointee.pMethods.pointee.xWrite!(target, data, amount, offset)
    }

    static func write(_ log: UnsafeMutablePointer<sqlite3_file>, _ data: UnsafeRawPointer, _ amount: Int32,
                      _ offset: Int64) -> Int32 {
        let held = state(log)
        held.pointee.made += 1
        let count = Int(amount)
        // A frame header is 24 bytes; the second of its words is the database's size after a
        // commit, zero in any other frame.
        let isCommitHeader = amount == 24 && data.loadUnaligned(fromByteOffset: 4, as: UInt32.self) != 0
        let endsCommit = offset == held.pointee.commitPage
        let follows = held.pointee.count > 0 && offset == held.pointee.start + Int64(held.pointee.count)
        if !follows || held.pointee.count + count > capacity {
            let code = send(log)
            guard code == SQLITE_OK else { return code }
            if isCommitHeader || count > capacity {
                // A commit frame's header that starts nothing may be the last write before the
                // frames are shown (checksums rewritten at a commit), so it is not held.
                let code = direct(log, data, amount, offset)
                held.pointee.commitPage = isCommitHeader && code == SQLITE_OK ? offset + 24 : -1
                return code
            }
            held.pointee.start = offset
        }
        if held.pointee.buffer == nil {
            guard let buffer = malloc(capacity) else { return SQLITE_NOMEM }
            held.pointee.buffer = buffer
        }
        (held.pointee.buffer! + held.pointee.count).copyMemory(from: data, byteCount: count)
        held.pointee.count += count
        if isCommitHeader {
            held.pointee.commitPage = offset + 24
            return SQLITE_OK
        }
        return endsCommit ? send(log) : SQLITE_OK
    }

    static func closeLog(_ log: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        let sending = send(log)
        let closing = close(log)
        return sending != SQLITE_OK ? sending : closing
    }
}
