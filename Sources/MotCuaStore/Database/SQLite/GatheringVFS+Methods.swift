import Foundation
import VaporCSQLite

/// The methods of this file system's files: the platform's, called on the platform's file once
/// what a log holds is sent (a database holds nothing), but for a log's writes and closing, and
/// a database's locks in shared memory.
///
/// SQLite takes and releases a database's write lock in its shared memory, which the log never
/// sees. A transaction rolled back after spilling pages to the log leaves those writes held;
/// another connection may then write frames at the same place, which a later send would
/// overwrite. So any change to those locks sends what the log holds first, while this
/// connection still has the lock it had.
extension GatheringVFS {
    static func openDatabase(_ path: sqlite3_filename?, _ file: UnsafeMutablePointer<sqlite3_file>, _ flags: Int32,
                             _ outFlags: UnsafeMutablePointer<Int32>?) -> Int32 {
        open(path, file, flags, outFlags, over: databaseMethods(over:))
    }

    /// The methods to put in front of a platform file with `real`'s. One without shared memory
    /// or memory mapping (macOS picks such methods for network file systems) must not look as if
    /// it had them: SQLite then refuses WAL mode, as it would without this file system.
    static func databaseMethods(over real: sqlite3_io_methods) -> UnsafeMutablePointer<sqlite3_io_methods> {
        let complete = real.iVersion >= 3 && real.xShmMap != nil && real.xShmLock != nil && real.xShmBarrier != nil
            && real.xShmUnmap != nil && real.xFetch != nil && real.xUnfetch != nil
        return complete ? databaseMethods : plainDatabaseMethods
    }

    /// Version 3, as the platform's Unix files.
    nonisolated(unsafe) static let databaseMethods = methods(version: 3, close: closeDatabase, write: writeDatabase, shmLock: {
        file, offset, count, flags in
        guard let file else { return SQLITE_MISUSE }
        if let log = GatheringVFS.state(file).pointee.partner {
            // What is held there belongs to a transaction rolled back (a commit sends its
            // frames when it writes them), so a failure to send it loses nothing.
            _ = GatheringVFS.send(log)
        }
        let target = GatheringVFS.real(file)
        // Nil only if the platform swapped the file's methods since (proxy locking on macOS).
        return target.pointee.pMethods.pointee.xShmLock?(target, offset, count, flags) ?? SQLITE_IOERR
    })

    /// Version 1, for a platform file without shared memory: the platform's methods only.
    nonisolated(unsafe) static let plainDatabaseMethods = methods(version: 1, close: closeDatabase, write: writeDatabase, shmLock: nil)

    private static let closeDatabase: Close = { file in file.map(GatheringVFS.close) ?? SQLITE_MISUSE }
    private static let writeDatabase: Write = { file, data, amount, offset in
        GatheringVFS.forward(file) { target, real in real.xWrite!(target, data, amount, offset) }
    }

    /// Version 1: SQLite asks a log for neither shared memory nor memory mapping (it asks the database).
    nonisolated(unsafe) static let logMethods = methods(
        version: 1,
        close: { log in log.map(GatheringVFS.closeLog) ?? SQLITE_MISUSE },
        write: { log, data, amount, offset in
            guard let log, let data else { return SQLITE_MISUSE }
            return GatheringVFS.write(log, data, amount, offset)
        },
        shmLock: nil)

    /// Calls the platform's method on the platform's file, once what a log holds is sent.
    static func forward(_ file: UnsafeMutablePointer<sqlite3_file>?,
                        _ call: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32) -> Int32 {
        guard let file else { return SQLITE_MISUSE }
        let code = send(file)
        guard code == SQLITE_OK else { return code }
        let target = real(file)
        return call(target, target.pointee.pMethods.pointee)
    }

    typealias Close = @convention(c) (UnsafeMutablePointer<sqlite3_file>?) -> Int32
    typealias Write = @convention(c) (UnsafeMutablePointer<sqlite3_file>?, UnsafeRawPointer?, Int32, sqlite3_int64) -> Int32
    typealias ShmLock = @convention(c) (UnsafeMutablePointer<sqlite3_file>?, Int32, Int32, Int32) -> Int32

    private static func methods(version: Int32, close: Close, write: Write, shmLock: ShmLock?) -> UnsafeMutablePointer<sqlite3_io_methods> {
        var methods = sqlite3_io_methods(
            iVersion: version,
            xClose: close,
            xRead: { file, data, amount, offset in
                GatheringVFS.forward(file) { target, real in real.xRead!(target, data, amount, offset) }
            },
            xWrite: write,
            xTruncate: { file, size in GatheringVFS.forward(file) { target, real in real.xTruncate!(target, size) } },
            xSync: { file, flags in GatheringVFS.forward(file) { target, real in real.xSync!(target, flags) } },
            xFileSize: { file, size in GatheringVFS.forward(file) { target, real in real.xFileSize!(target, size) } },
            xLock: { file, lock in GatheringVFS.forward(file) { target, real in real.xLock!(target, lock) } },
            xUnlock: { file, lock in GatheringVFS.forward(file) { target, real in real.xUnlock!(target, lock) } },
            xCheckReservedLock: { file, out in
                GatheringVFS.forward(file) { target, real in real.xCheckReservedLock!(target, out) }
            },
            xFileControl: { file, op, argument in
                GatheringVFS.forward(file) { target, real in real.xFileControl!(target, op, argument) }
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
            xShmMap: { file, page, size, extend, memory in
                GatheringVFS.forward(file) { target, real in real.xShmMap?(target, page, size, extend, memory) ?? SQLITE_IOERR }
            },
            xShmLock: shmLock,
            xShmBarrier: { file in
                guard let file else { return }
                let target = GatheringVFS.real(file)
                target.pointee.pMethods.pointee.xShmBarrier?(target)
            },
            xShmUnmap: { file, delete in GatheringVFS.forward(file) { target, real in real.xShmUnmap?(target, delete) ?? SQLITE_OK } },
            xFetch: { file, offset, amount, pointer in
                GatheringVFS.forward(file) { target, real in
                    if let fetch = real.xFetch { return fetch(target, offset, amount, pointer) }
                    pointer?.pointee = nil
                    return SQLITE_OK
                }
            },
            xUnfetch: { file, offset, pointer in
                GatheringVFS.forward(file) { target, real in real.xUnfetch?(target, offset, pointer) ?? SQLITE_OK }
            })
        if version < 2 { (methods.xShmMap, methods.xShmBarrier, methods.xShmUnmap) = (nil, nil, nil) }
        if version < 3 { (methods.xFetch, methods.xUnfetch) = (nil, nil) }
        let stored = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        stored.initialize(to: methods)
        return stored
    }
}
