import Foundation
import MotCuaCore
import SQLKit

/// A procedure as stored: its document, its row version, and its process versions.
public struct StoredProcedure: Sendable, Equatable {
    public let document: ProcedureDocument
    public let version: Int
}

/// One search hit, enough for a list of results.
public struct ProcedureSummary: Sendable, Equatable {
    public let code: String
    public let name: String
    public let field: String
    public let level: Procedure.Level
    public let onlineLevel: Procedure.OnlineLevel
    public let status: Procedure.Status
}

public struct CatalogueFilters: Sendable {
    public var query: String?
    public var field: String?
    public var agency: String?
    public var level: Procedure.Level?
    public var onlineLevel: Procedure.OnlineLevel?
    /// Published only unless said otherwise.
    public var status: Procedure.Status? = .published

    public init(query: String? = nil, field: String? = nil, agency: String? = nil, level: Procedure.Level? = nil,
                onlineLevel: Procedure.OnlineLevel? = nil, status: Procedure.Status? = .published) {
        self.query = query
        self.field = field
        self.agency = agency
        self.level = level
        self.onlineLevel = onlineLevel
        self.status = status
    }
}

public enum ImportOutcome: String, Sendable {
    case created, updated, unchanged
}

/// The procedure catalogue and the versions of its internal processes.
public struct CatalogueRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    // MARK: Reads

    public func find(_ code: String) async throws -> StoredProcedure? {
        try await database.withConnection { try await Self.find(code, in: $0) }
    }

    public static func find(_ code: String, in db: any SQLDatabase) async throws -> StoredProcedure? {
        guard let row = try await db.cached("procedures.find", [code], { db, v in
            db.select().columns("document", "version").from("procedures").where("code", .equal, v[0]).limit(1)
        }).first() else { return nil }
        let procedure = try JSONDecoder().decode(Procedure.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
        let processes = try await processes(of: code, in: db)
        return StoredProcedure(document: ProcedureDocument(procedure: procedure, processes: processes),
                               version: try row.decode(column: "version", as: Int.self))
    }

    static func processes(of code: String, in db: any SQLDatabase) async throws -> [ProcessVersion] {
        try await db.cached("process_versions.of", [code]) { db, v in
            db.select().column("document").from("process_versions").where("procedure_code", .equal, v[0]).orderBy("version")
        }.all(decodingColumn: "document", as: String.self)
            .map { try JSONDecoder().decode(ProcessVersion.self, from: Data($0.utf8)) }
    }

    public func processVersion(_ code: String, version: Int) async throws -> ProcessVersion? {
        try await database.withConnection { db in try await Self.processVersion(code, version: version, in: db) }
    }

    /// One process version alone: what a dossier's page needs, without decoding the procedure.
    public static func processVersion(_ code: String, version: Int, in db: any SQLDatabase) async throws -> ProcessVersion? {
        try await db.cached("process_versions.one", [code, version]) { db, v in
            db.select().column("document").from("process_versions").where("procedure_code", .equal, v[0]).where("version", .equal, v[1])
                .limit(1)
        }.first(decodingColumn: "document", as: String.self)
            .map { try JSONDecoder().decode(ProcessVersion.self, from: Data($0.utf8)) }
    }

    /// Every procedure with its process versions, in code order (export, reports).
    public func allDocuments() async throws -> [ProcedureDocument] {
        try await database.withConnection { db in
            let procedures = try await db.select().column("document").from("procedures").orderBy("code")
                .all(decodingColumn: "document", as: String.self)
                .map { try JSONDecoder().decode(Procedure.self, from: Data($0.utf8)) }
            var byCode: [String: [ProcessVersion]] = [:]
            for row in try await db.select().columns("procedure_code", "document").from("process_versions")
                .orderBy("procedure_code").orderBy("version").all() {
                let version = try JSONDecoder().decode(ProcessVersion.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
                byCode[try row.decode(column: "procedure_code", as: String.self), default: []].append(version)
            }
            return procedures.map { ProcedureDocument(procedure: $0, processes: byCode[$0.code] ?? []) }
        }
    }

    /// Ranked search; `offset` pages through the ranking. Two steps: the prefilter reads only the
    /// folded words to rank, then the page's rows are read in full.
    public func search(_ filters: CatalogueFilters, offset: Int, limit: Int) async throws -> [ProcedureSummary] {
        let terms = CatalogueSearch.terms(filters.query ?? "")
        return try await database.withConnection { db in
            var query = db.select().columns("code", "name", "search_name", "search_text").from("procedures")
            if let status = filters.status { query = query.where("status", .equal, status.rawValue) }
            if let field = filters.field { query = query.where("field", .equal, field) }
            if let level = filters.level { query = query.where("level", .equal, level.rawValue) }
            if let online = filters.onlineLevel { query = query.where("online_level", .equal, online.rawValue) }
            if let agency = filters.agency {
                query = query.where(SQLIdentifier("code"), .in, SQLGroupExpression(
                    db.select().column("procedure_code").from("procedure_agencies").where("agency_code", .equal, agency).select))
            }
            // Terms are folded letters and digits only, so they carry no LIKE wildcards.
            for term in terms { query = query.where("search_text", .like, "% \(term)%") }
            let candidates = try await query.all().map { row in
                CatalogueSearch.Candidate(
                    code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                    foldedName: try row.decode(column: "search_name", as: String.self),
                    indexText: try row.decode(column: "search_text", as: String.self))
            }
            let page = CatalogueSearch.rank(candidates, terms: terms).dropFirst(offset).prefix(limit).map(\.code)
            guard !page.isEmpty else { return [] }
            var summaries: [String: ProcedureSummary] = [:]
            for row in try await db.select().columns("code", "name", "field", "level", "online_level", "status").from("procedures")
                .where("code", .in, page).all() {
                let code = try row.decode(column: "code", as: String.self)
                summaries[code] = ProcedureSummary(
                    code: code, name: try row.decode(column: "name", as: String.self), field: try row.decode(column: "field", as: String.self),
                    level: Procedure.Level(rawValue: try row.decode(column: "level", as: String.self)) ?? .province,
                    onlineLevel: Procedure.OnlineLevel(rawValue: try row.decode(column: "online_level", as: String.self)) ?? .none,
                    status: Procedure.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft)
            }
            return page.compactMap { summaries[$0] }
        }
    }

    // MARK: Writes (inside the caller's transaction)

    /// A new procedure with the process versions it comes with.
    public static func create(_ document: ProcedureDocument, in db: any SQLDatabase) async throws -> StoredProcedure {
        try await check(document, in: db)
        if try await find(document.procedure.code, in: db) != nil {
            throw StoreError.duplicate("procedure \(document.procedure.code)")
        }
        try await insertRow(document.procedure, version: 1, in: db)
        for process in document.processes { try await insertProcess(process, of: document.procedure.code, in: db) }
        return StoredProcedure(document: document, version: 1)
    }

    /// Replaces the procedure's own fields at the version read; its processes are untouched but
    /// must still fit the (possibly shorter) time limit.
    public static func update(_ procedure: Procedure, expectedVersion: Int, in db: any SQLDatabase) async throws -> StoredProcedure {
        guard let current = try await find(procedure.code, in: db) else { throw StoreError.notFound("procedure \(procedure.code)") }
        guard current.version == expectedVersion else { throw StoreError.staleVersion(current: current.version) }
        let document = ProcedureDocument(procedure: procedure, processes: current.document.processes)
        try await check(document, in: db)
        try await updateRow(procedure, from: expectedVersion, in: db)
        return StoredProcedure(document: document, version: expectedVersion + 1)
    }

    /// Publishes a changed process as the next version; earlier versions stay as they were.
    public static func publish(_ code: String, steps: [ProcessStep], validFrom: CivilDate, note: String?,
                               in db: any SQLDatabase) async throws -> ProcessVersion {
        guard let current = try await find(code, in: db) else { throw StoreError.notFound("procedure \(code)") }
        let previous = current.document.processes.last
        let process = ProcessVersion(version: (previous?.version ?? 0) + 1, validFrom: validFrom, note: note, steps: steps)
        var issues = process.issues(limit: current.document.procedure.timeLimit)
        if let previous {
            if process.hasSameSteps(as: previous) {
                throw StoreError.invalid([FieldIssue("steps", "process.unchanged",
                                                     "Quy trình không thay đổi so với phiên bản \(previous.version)")])
            }
            if validFrom < previous.validFrom {
                issues.append(FieldIssue("validFrom", "order", "Phiên bản mới không thể có hiệu lực trước \(previous.validFrom)"))
            }
        }
        issues += try await agencyIssues(steps: steps, prefix: "", in: db)
        if !issues.isEmpty { throw StoreError.invalid(issues) }
        try await insertProcess(process, of: code, in: db)
        return process
    }

    /// Creates, updates or leaves alone one shared document. Published versions never change: a
    /// document that rewrites one is refused; versions it adds are published.
    public static func importDocument(_ document: ProcedureDocument, in db: any SQLDatabase) async throws -> ImportOutcome {
        guard let current = try await find(document.procedure.code, in: db) else {
            _ = try await create(document, in: db)
            return .created
        }
        try await check(document, in: db)
        let stored = current.document.processes
        for (index, process) in document.processes.enumerated() where index < stored.count && stored[index] != process {
            throw StoreError.invalid([FieldIssue("processes[\(index)]", "process.published_differs",
                                                 "Phiên bản \(process.version) đã ban hành với nội dung khác; hãy thêm phiên bản mới")])
        }
        var changed = false
        if current.document.procedure != document.procedure {
            try await updateRow(document.procedure, from: current.version, in: db)
            changed = true
        }
        for process in document.processes.dropFirst(stored.count) {
            try await insertProcess(process, of: document.procedure.code, in: db)
            changed = true
        }
        return changed ? .updated : .unchanged
    }

    // MARK: Helpers

    static func check(_ document: ProcedureDocument, in db: any SQLDatabase) async throws {
        var issues = document.issues()
        let procedure = document.procedure
        for (i, code) in procedure.receivingAgencies.enumerated() where try await !agencyExists(code, in: db) {
            issues.append(FieldIssue("receivingAgencies[\(i)]", "agency.unknown", "Không có cơ quan mã \(code)"))
        }
        for (i, code) in procedure.decidingAgencies.enumerated() where try await !agencyExists(code, in: db) {
            issues.append(FieldIssue("decidingAgencies[\(i)]", "agency.unknown", "Không có cơ quan mã \(code)"))
        }
        for (k, process) in document.processes.enumerated() {
            issues += try await agencyIssues(steps: process.steps, prefix: "processes[\(k)].", in: db)
        }
        if !issues.isEmpty { throw StoreError.invalid(issues) }
    }

    static func agencyIssues(steps: [ProcessStep], prefix: String, in db: any SQLDatabase) async throws -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (j, step) in steps.enumerated() {
            if let code = step.agency, try await !agencyExists(code, in: db) {
                issues.append(FieldIssue("\(prefix)steps[\(j)].agency", "agency.unknown", "Không có cơ quan mã \(code)"))
            }
        }
        return issues
    }

    static func agencyExists(_ code: String, in db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("code").from("agencies").where("code", .equal, code).first() != nil
    }

    static func insertRow(_ procedure: Procedure, version: Int, in db: any SQLDatabase) async throws {
        ReferenceWrites.happened()
        try await db.insert(into: "procedures")
            .columns("code", "name", "field", "level", "online_level", "status", "search_name", "search_text", "document",
                     "version", "updated_at")
            .values(SQLBind(procedure.code), SQLBind(procedure.name), SQLBind(procedure.field), SQLBind(procedure.level.rawValue),
                    SQLBind(procedure.onlineLevel.rawValue), SQLBind(procedure.status.rawValue),
                    SQLBind(CatalogueSearch.indexText(name: procedure.name, other: "")), SQLBind(indexText(procedure)),
                    SQLBind(try json(procedure)), SQLBind(version), SQLBind(now()))
            .run()
        try await insertAgencies(procedure, in: db)
    }

    static func updateRow(_ procedure: Procedure, from version: Int, in db: any SQLDatabase) async throws {
        ReferenceWrites.happened()
        let updated = try await db.update("procedures")
            .set("name", to: SQLBind(procedure.name)).set("field", to: SQLBind(procedure.field))
            .set("level", to: SQLBind(procedure.level.rawValue)).set("online_level", to: SQLBind(procedure.onlineLevel.rawValue))
            .set("status", to: SQLBind(procedure.status.rawValue)).set("search_text", to: SQLBind(indexText(procedure)))
            .set("search_name", to: SQLBind(CatalogueSearch.indexText(name: procedure.name, other: "")))
            .set("document", to: SQLBind(try json(procedure))).set("version", to: SQLBind(version + 1))
            .set("updated_at", to: SQLBind(now()))
            .where("code", .equal, procedure.code).where("version", .equal, version)
            .returning("version").all()
        guard updated.count == 1 else {
            throw StoreError.staleVersion(current: try await find(procedure.code, in: db)?.version ?? version + 1)
        }
        try await db.delete(from: "procedure_agencies").where("procedure_code", .equal, procedure.code).run()
        try await insertAgencies(procedure, in: db)
    }

    static func insertAgencies(_ procedure: Procedure, in db: any SQLDatabase) async throws {
        let pairs = Set(procedure.receivingAgencies.map { ($0, "receiving") }.map(Pair.init)
            + procedure.decidingAgencies.map { ($0, "deciding") }.map(Pair.init))
        guard !pairs.isEmpty else { return }
        var insert = db.insert(into: "procedure_agencies").columns("procedure_code", "agency_code", "role")
        for pair in pairs.sorted(by: { ($0.agency, $0.role) < ($1.agency, $1.role) }) {
            insert = insert.values(SQLBind(procedure.code), SQLBind(pair.agency), SQLBind(pair.role))
        }
        try await insert.run()
    }

    struct Pair: Hashable {
        let agency: String
        let role: String
        init(_ tuple: (String, String)) { (agency, role) = tuple }
    }

    static func insertProcess(_ process: ProcessVersion, of code: String, in db: any SQLDatabase) async throws {
        ReferenceWrites.happened()
        try await db.insert(into: "process_versions")
            .columns("procedure_code", "version", "valid_from", "steps_count", "budget_centihours", "document", "published_at")
            .values(SQLBind(code), SQLBind(process.version), SQLBind(process.validFrom.description), SQLBind(process.steps.count),
                    SQLBind(Int((process.totalBudgetWorkingHours * 100).rounded())), SQLBind(try json(process)), SQLBind(now()))
            .run()
    }

    static func indexText(_ procedure: Procedure) -> String {
        CatalogueSearch.indexText(name: procedure.name, other: [procedure.description ?? "", procedure.field].joined(separator: " "))
    }

    static func json<T: Encodable>(_ value: T) throws -> String { try StoredJSON.text(value) }
}
