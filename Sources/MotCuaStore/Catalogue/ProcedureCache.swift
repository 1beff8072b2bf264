import Foundation
import MotCuaCore
import SQLKit

/// Decoded procedures for the dossier commands, which read one on every request. A procedure's
/// row changes only with its `version`, and process versions are only ever added, so the
/// version and the latest process version, read in one small query, tell whether the copy
/// held is still the one stored. A process version never changes once stored, so it is kept
/// without asking again. One cache per service, so per database.
///
/// A copy checked less than the rule's time ago is used without asking, unless reference data
/// has been written in this process since (`HoldingRule`): under load the check would
/// otherwise be one statement in every submission and every step (a round trip on PostgreSQL).
/// A change made by another server on the same database is seen within that time (a second by
/// default): a procedure closed there may take submissions here for that second. A dossier on a
/// process version newer than the copy's makes it check at once.
final class ProcedureCache: @unchecked Sendable {
    private struct Entry {
        let version: Int
        let latestProcess: Int
        let procedure: StoredProcedure
        let checked: HoldingRule.Stamp
    }

    private struct ProcessKey: Hashable {
        let procedure: String
        let version: Int
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var processes: [ProcessKey: ProcessVersion] = [:]
    let rule: HoldingRule

    init(rule: HoldingRule = HoldingRule()) {
        self.rule = rule
    }

    /// The process version if held, without a query: what a dossier's answer shows.
    func heldProcess(_ code: String, version: Int) -> ProcessVersion? {
        lock.withLock { processes[ProcessKey(procedure: code, version: version)] }
    }

    /// The process version, read once.
    func process(_ code: String, version: Int, in db: any SQLDatabase) async throws -> ProcessVersion? {
        if let held = heldProcess(code, version: version) { return held }
        guard let process = try await CatalogueRepository.processVersion(code, version: version, in: db) else { return nil }
        lock.withLock { processes[ProcessKey(procedure: code, version: version)] = process }
        return process
    }

    /// The procedure; `having` a process version the copy must hold (a dossier's, which another
    /// server may have published within the last second), else it is checked at once.
    func find(_ code: String, having processVersion: Int? = nil, in db: any SQLDatabase) async throws -> StoredProcedure? {
        let stamp = rule.stamp()
        if let held = lock.withLock({ entries[code] }), rule.holds(held.checked, at: stamp),
           processVersion.map({ $0 <= held.latestProcess }) ?? true {
            return held.procedure
        }
        guard let row = try await db.cached("procedures.versions", [code], { db, v in
            db.select().column("version")
                .column(SQLRaw("(SELECT MAX(version) FROM process_versions WHERE procedure_code = procedures.code)"), as: "latest")
                .from("procedures").where("code", .equal, v[0]).limit(1)
        }).first() else { return nil }
        let version = try row.decode(column: "version", as: Int.self)
        let latest = try row.decode(column: "latest", as: Int?.self) ?? 0
        if let held = lock.withLock({ entries[code] }), held.version == version, held.latestProcess == latest {
            lock.withLock { entries[code] = Entry(version: version, latestProcess: latest, procedure: held.procedure, checked: stamp) }
            return held.procedure
        }
        guard let fresh = try await CatalogueRepository.find(code, in: db) else { return nil }
        // Keyed by what was read with it, which a concurrent change may have moved past `version`.
        let entry = Entry(version: fresh.version, latestProcess: fresh.document.processes.last?.version ?? 0, procedure: fresh,
                          checked: stamp)
        lock.withLock {
            entries[code] = entry
            for process in fresh.document.processes { processes[ProcessKey(procedure: code, version: process.version)] = process }
        }
        return fresh
    }
}
