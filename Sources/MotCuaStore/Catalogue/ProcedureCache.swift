import Foundation
import MotCuaCore
import SQLKit

/// Decoded procedures for the dossier commands, which read one on every request. A procedure's
/// row changes only with its `version`, and process versions are only ever added, so the
/// version and the latest process version, read in one small query, tell whether the copy
/// held is still the one stored. One cache per service, so per database.
final class ProcedureCache: @unchecked Sendable {
    private struct Entry {
        let version: Int
        let latestProcess: Int
        let procedure: StoredProcedure
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func find(_ code: String, in db: any SQLDatabase) async throws -> StoredProcedure? {
        guard let row = try await db.cached("procedures.versions", [code], { db, v in
            db.select().column("version")
                .column(SQLRaw("(SELECT MAX(version) FROM process_versions WHERE procedure_code = procedures.code)"), as: "latest")
                .from("procedures").where("code", .equal, v[0]).limit(1)
        }).first() else { return nil }
        let version = try row.decode(column: "version", as: Int.self)
        let latest = try row.decode(column: "latest", as: Int?.self) ?? 0
        if let held = lock.withLock({ entries[code] }), held.version == version, held.latestProcess == latest { return held.procedure }
        guard let fresh = try await CatalogueRepository.find(code, in: db) else { return nil }
        // Keyed by what was read with it, which a concurrent change may have moved past `version`.
        let entry = Entry(version: fresh.version, latestProcess: fresh.document.processes.last?.version ?? 0, procedure: fresh)
        lock.withLock { entries[code] = entry }
        return fresh
    }
}
