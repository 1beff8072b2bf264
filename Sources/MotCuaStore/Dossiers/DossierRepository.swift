import Foundation
import MotCuaCore
import SQLKit

/// A dossier as stored: its code, what it runs on, who applied, where it is, and its version.
public struct StoredDossier: Sendable, Equatable {
    public let code: String
    public let procedureCode: String
    public let processVersion: Int
    public let receivingAgency: String
    public let currentAgency: String
    public let provinceCode: String
    public let applicantAccount: String?
    public let applicant: Applicant
    public let state: DossierState
    public let version: Int
    /// The officer holding it at its current agency; nil just after a hand-off.
    public var responsibleOfficer: String? = nil
}

/// Dossiers and their append-only history. Every write takes the caller's transaction, so the
/// new state and its event are committed together or not at all.
public struct DossierRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The next number of the day for an agency. The counter row is advanced by one statement
    /// that both databases run atomically, inside the caller's transaction.
    public static func nextSequence(agency: String, day: CivilDate, in db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            INSERT INTO dossier_code_sequences (agency_code, day, last_value) VALUES (\(bind: agency), \(bind: day.description), 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
            RETURNING last_value
            """).first(decodingColumn: "last_value", as: Int.self) ?? 1
    }

    /// Creates a dossier with its first events (one per version: a counter intake accepted at once
    /// has two), under a new code for the day. `currentAgency`: where the last event left it.
    public static func create(procedureCode: String, receivingAgency: String, provinceCode: String, applicantAccount: String?,
                              applicant: Applicant, state: DossierState, events: [DossierEvent], currentAgency: String? = nil,
                              responsibleOfficer: String? = nil, in db: any SQLDatabase) async throws -> StoredDossier {
        precondition(!events.isEmpty, "a dossier is created by at least one event")
        let day = WorkingCalendar.local(state.submittedAt).0
        let sequence = try await nextSequence(agency: receivingAgency, day: day, in: db)
        let code = DossierCode.make(agencyCode: receivingAgency, date: day, sequence: sequence)
        let currentAgency = currentAgency ?? receivingAgency
        let stamp = now()
        let values: [any Encodable & Sendable] = [
            code, procedureCode, state.processVersion, receivingAgency, currentAgency, provinceCode, applicantAccount,
            state.status.rawValue, StoredTime.ms(state.appointment), StoredTime.ms(state.stepDeadline), StoredJSON.text(of: state),
            StoredJSON.text(of: applicant), events.count, stamp, stamp, responsibleOfficer,
        ]
        try await db.write(db.cached("dossiers.create", values) { db, v in
            db.insert(into: "dossiers")
                .columns("code", "procedure_code", "process_version", "receiving_agency", "current_agency", "province_code",
                         "applicant_account", "status", "appointment_ms", "step_deadline_ms", "state", "applicant", "version",
                         "created_at", "updated_at", "responsible_officer")
                .values(v)
        }.query, into: "dossiers")
        try await append(events, to: code, firstSequence: 1, in: db)
        try await recordAgency(receivingAgency, of: code, in: db)
        if currentAgency != receivingAgency { try await recordAgency(currentAgency, of: code, in: db) }
        return StoredDossier(code: code, procedureCode: procedureCode, processVersion: state.processVersion,
                             receivingAgency: receivingAgency, currentAgency: currentAgency, provinceCode: provinceCode,
                             applicantAccount: applicantAccount, applicant: applicant, state: state, version: events.count,
                             responsibleOfficer: responsibleOfficer)
    }

    /// Saves a new state reached from `expectedVersion`, with its event numbered by the new version,
    /// and returns that version. The dossier must have been read with `findForChange` in this
    /// transaction, version checked: so the update is a write like the others, held with them on
    /// PostgreSQL. Should the row have moved on all the same, the event's number is taken and the
    /// statement fails, with everything else in the transaction.
    /// `previousAgency`: where the dossier was; its trail already holds that agency (written when
    /// it arrived there), so only a move adds a row. Nil when not known: the row is written.
    static func save(_ code: String, expectedVersion: Int, state: DossierState, currentAgency: String,
                            previousAgency: String? = nil, responsibleOfficer: String? = nil, event: DossierEvent,
                            in db: any SQLDatabase) async throws -> Int {
        let values: [any Encodable & Sendable] = [
            state.status.rawValue, StoredTime.ms(state.appointment), StoredTime.ms(state.stepDeadline), currentAgency,
            responsibleOfficer, StoredJSON.text(of: state), expectedVersion + 1, now(), code, expectedVersion,
        ]
        try await db.write(db.cached("dossiers.save", values) { db, v in
            db.update("dossiers")
                .set("status", to: v[0]).set("appointment_ms", to: v[1]).set("step_deadline_ms", to: v[2])
                .set("current_agency", to: v[3]).set("responsible_officer", to: v[4]).set("state", to: v[5])
                .set("version", to: v[6]).set("updated_at", to: v[7])
                .where("code", .equal, v[8]).where("version", .equal, v[9])
        }.query, into: "dossiers")
        try await append([event], to: code, firstSequence: expectedVersion + 1, in: db)
        if previousAgency != currentAgency { try await recordAgency(currentAgency, of: code, in: db) }
        return expectedVersion + 1
    }

    /// The dossier about to be changed, with its report fact, both locked until the transaction
    /// ends (PostgreSQL; SQLite's one writer needs no lock): one round trip where reading the
    /// dossier, updating it with a version check and reading the fact took three. `fact` is nil
    /// when the dossier has none (moved in from another system): it is then made from the history.
    /// The lock is `FOR NO KEY UPDATE`, as strong as the update needs: rows that only refer to the
    /// dossier (a file attached, its history) may still be added meanwhile. A file attached at the
    /// same time locks the fact after the dossier's key, as this does, so the two never wait in a circle.
    static func findForChange(_ code: String, in db: any SQLDatabase) async throws -> (dossier: StoredDossier, fact: DossierFact?)? {
        guard db.dialect.name == "postgresql" else {
            // No round trip to save on SQLite, which prepared the join again each time a new code
            // was bound to it (a profile: processing 15 % slower); a lookup by key is prepared once.
            guard let dossier = try await find(code, in: db) else { return nil }
            return (dossier, try await FactRepository.find(code, in: db))
        }
        let joined = try await db.cached("dossiers.find_for_change", [code]) { db, v in
            db.select()
                .columns(dossierColumns.map { SQLColumn($0, table: "d") })
                .columns(FactRepository.columns.map { SQLAlias(SQLColumn($0, table: "f"), as: SQLIdentifier("fact_\($0)")) })
                .from(SQLAlias(SQLIdentifier("dossiers"), as: SQLIdentifier("d")))
                .join(SQLAlias(SQLIdentifier("dossier_facts"), as: SQLIdentifier("f")), method: SQLJoinMethod.inner,
                      on: SQLColumn("dossier_code", table: "f"), .equal, SQLColumn("code", table: "d"))
                .where(SQLColumn("code", table: "d"), .equal, v[0]).limit(1).lockingClause(SQLRaw("FOR NO KEY UPDATE"))
        }.first()
        if let joined { return (try decode(joined), try FactRepository.decode(joined, prefix: "fact_")) }
        // No fact in the join's snapshot: lock the dossier alone, then read the fact again, in
        // case one was written before the lock was taken.
        guard let alone = try await db.cached("dossiers.find_locked", [code], { db, v in
            selectDossiers(db).where("code", .equal, v[0]).limit(1).lockingClause(SQLRaw("FOR NO KEY UPDATE"))
        }).first() else { return nil }
        return (try decode(alone), try await FactRepository.find(code, in: db))
    }

    /// Remembers that the dossier has been with this agency (once is enough).
    static func recordAgency(_ agency: String, of code: String, in db: any SQLDatabase) async throws {
        try await db.write(db.cached("dossier_agencies.record", [code, agency]) { db, v in
            db.insert(into: "dossier_agencies").columns("dossier_code", "agency_code").values(v)
                .ignoringConflicts(with: ["dossier_code", "agency_code"])
        }.query, into: "dossier_agencies")
    }

    /// The agencies the dossier is or has been with.
    public static func agencies(of code: String, in db: any SQLDatabase) async throws -> Set<String> {
        Set(try await db.select().column("agency_code").from("dossier_agencies").where("dossier_code", .equal, code)
            .all(decodingColumn: "agency_code", as: String.self))
    }

    public func find(_ code: String) async throws -> StoredDossier? {
        try await database.withConnection { try await Self.find(code, in: $0) }
    }

    public static func find(_ code: String, in db: any SQLDatabase) async throws -> StoredDossier? {
        try await db.cached("dossiers.find", [code]) { db, v in selectDossiers(db).where("code", .equal, v[0]).limit(1) }
            .first().map(decode)
    }

    static let dossierColumns = ["code", "procedure_code", "process_version", "receiving_agency", "current_agency", "province_code",
                                 "applicant_account", "state", "applicant", "version", "responsible_officer"]

    static func selectDossiers(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns(dossierColumns.map { SQLColumn($0) }).from("dossiers")
    }

    static func decode(_ row: any SQLRow) throws -> StoredDossier {
        StoredDossier(
            code: try row.decode(column: "code", as: String.self),
            procedureCode: try row.decode(column: "procedure_code", as: String.self),
            processVersion: try row.decode(column: "process_version", as: Int.self),
            receivingAgency: try row.decode(column: "receiving_agency", as: String.self),
            currentAgency: try row.decode(column: "current_agency", as: String.self),
            provinceCode: try row.decode(column: "province_code", as: String.self),
            applicantAccount: try row.decode(column: "applicant_account", as: String?.self),
            applicant: try StoredJSON.applicant(try row.decode(column: "applicant", as: String.self)),
            state: try StoredJSON.state(try row.decode(column: "state", as: String.self)),
            version: try row.decode(column: "version", as: Int.self),
            responsibleOfficer: try row.decode(column: "responsible_officer", as: String?.self))
    }

    /// An officer's inbox: dossiers now with one of the agencies, soonest step deadline first,
    /// keyset-paged on (deadline, code) so a deep page costs what the first does; no total count.
    /// `deadlineBefore` keeps only steps due before that instant (overdue: now; due soon: now plus
    /// the due-soon window in working time).
    public func inbox(agencies: Set<String>, statuses: Set<DossierStatus>? = nil, procedureCode: String? = nil,
                      deadlineBefore: Date? = nil, after: (deadlineMs: Int64, code: String)? = nil,
                      limit: Int) async throws -> [StoredDossier] {
        guard !agencies.isEmpty else { return [] }
        return try await database.withConnection { db in
            // One query for the page: the rows come back whole, in inbox order.
            try await Self.inboxQuery(Self.selectDossiers(db), agencies: agencies, statuses: statuses, procedureCode: procedureCode,
                                      deadlineBefore: deadlineBefore, after: after, limit: limit).all().map(Self.decode)
        }
    }

    /// The same page as `inbox`, as the list shows it: read from the row's own columns, without
    /// decoding its state and applicant documents (two JSON documents a row, 40 for a page of 20).
    public func inboxEntries(agencies: Set<String>, statuses: Set<DossierStatus>? = nil, procedureCode: String? = nil,
                             deadlineBefore: Date? = nil, after: (deadlineMs: Int64, code: String)? = nil,
                             limit: Int) async throws -> [InboxEntry] {
        guard !agencies.isEmpty else { return [] }
        return try await database.withConnection { db in
            try await Self.inboxQuery(Self.selectEntries(db), agencies: agencies, statuses: statuses, procedureCode: procedureCode,
                                      deadlineBefore: deadlineBefore, after: after, limit: limit).all().map(InboxEntry.init)
        }
    }

    /// The inbox's filter, order and limit on `select` (what `inbox` and `inboxEntries` run, and the
    /// benchmark runs directly).
    public static func inboxQuery(_ select: SQLSelectBuilder, agencies: Set<String>, statuses: Set<DossierStatus>? = nil,
                                  procedureCode: String? = nil, deadlineBefore: Date? = nil,
                                  after: (deadlineMs: Int64, code: String)? = nil, limit: Int) -> SQLSelectBuilder {
        var query = select
            .where("current_agency", .in, Array(agencies).sorted())
            .where("step_deadline_ms", .isNot, SQLLiteral.null)
        let open = (statuses ?? Set(DossierStatus.allCases.filter { !$0.isFinal && $0 != .resultReady })).map(\.rawValue).sorted()
        query = query.where("status", .in, open)
        if let procedureCode { query = query.where("procedure_code", .equal, procedureCode) }
        if let deadlineBefore { query = query.where("step_deadline_ms", .lessThan, StoredTime.ms(deadlineBefore)) }
        if let after {
            query = query.where { group in
                group.where("step_deadline_ms", .greaterThan, after.deadlineMs)
                    .orWhere { $0.where("step_deadline_ms", .equal, after.deadlineMs).where("code", .greaterThan, after.code) }
            }
        }
        return query.orderBy("step_deadline_ms").orderBy("code").limit(limit)
    }

    public static func selectEntries(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .columns("code", "procedure_code", "status", "current_agency", "responsible_officer", "appointment_ms", "step_deadline_ms", "version")
            .from("dossiers")
    }

    /// A dossier's place in the inbox order, as the text a cursor carries: `<deadline ms>|<code>`.
    public static func inboxKey(_ dossier: StoredDossier) -> String {
        "\(StoredTime.ms(dossier.state.stepDeadline ?? .distantPast))|\(dossier.code)"
    }

    public static func inboxKey(_ entry: InboxEntry) -> String { "\(entry.stepDeadlineMs ?? 0)|\(entry.code)" }

    /// The place an inbox key names, nil when the text is not one.
    public static func inboxPosition(_ key: String) -> (deadlineMs: Int64, code: String)? {
        let parts = key.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let ms = Int64(parts[0]) else { return nil }
        return (ms, String(parts[1]))
    }

    /// The whole history in order.
    public func events(_ code: String) async throws -> [DossierEvent] {
        try await database.withConnection { db in
            try await Self.selectEvents(db).where("dossier_code", .equal, code).orderBy("sequence").all().map(Self.decodeEvent)
        }
    }

    static func selectEvents(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .columns("dossier_code", "command", "actor_id", "actor_role", "at_ms", "from_status", "to_status", "reason", "data")
            .from("dossier_events")
    }

    static func decodeEvent(_ row: any SQLRow) throws -> DossierEvent {
        DossierEvent(
            command: try row.decode(column: "command", as: String.self),
            actor: DossierActor(id: try row.decode(column: "actor_id", as: String.self),
                                role: DossierRole(rawValue: try row.decode(column: "actor_role", as: String.self)) ?? .citizen),
            at: StoredTime.date(try row.decode(column: "at_ms", as: Int64.self)),
            fromStatus: try row.decode(column: "from_status", as: Int?.self).flatMap(DossierStatus.init(rawValue:)),
            toStatus: DossierStatus(rawValue: try row.decode(column: "to_status", as: Int.self)) ?? .submitted,
            reason: try row.decode(column: "reason", as: String?.self),
            data: try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "data", as: String.self).utf8)))
    }

    /// The events numbered on from `firstSequence`, in one statement.
    static func append(_ events: [DossierEvent], to code: String, firstSequence: Int, in db: any SQLDatabase) async throws {
        var values: [any Encodable & Sendable] = []
        for (offset, event) in events.enumerated() {
            values += [
                code, firstSequence + offset, event.command, event.actor.id, event.actor.role.rawValue, StoredTime.ms(event.at),
                event.fromStatus?.rawValue, event.toStatus.rawValue, event.reason, StoredJSON.object(event.data),
            ]
        }
        try await db.write(db.cached("dossier_events.append.\(events.count)", values) { db, v in
            var insert = db.insert(into: "dossier_events")
                .columns("dossier_code", "sequence", "command", "actor_id", "actor_role", "at_ms", "from_status", "to_status", "reason", "data")
            for row in 0..<events.count { insert = insert.values(Array(v[(row * 10)..<(row * 10 + 10)])) }
            return insert
        }.query, into: "dossier_events")
    }
}

/// One line of an officer's inbox, from the dossier row's columns (kept with its state).
public struct InboxEntry: Sendable, Equatable {
    public let code: String
    public let procedureCode: String
    public let status: DossierStatus
    public let currentAgency: String
    public let responsibleOfficer: String?
    public let appointment: Date?
    public let stepDeadline: Date?
    public let version: Int
    let stepDeadlineMs: Int64?

    init(_ row: any SQLRow) throws {
        code = try row.decode(column: "code", as: String.self)
        procedureCode = try row.decode(column: "procedure_code", as: String.self)
        let status = try row.decode(column: "status", as: Int.self)
        guard let known = DossierStatus(rawValue: status) else { throw DatabaseError("dossier \(code): unknown status \(status)") }
        self.status = known
        currentAgency = try row.decode(column: "current_agency", as: String.self)
        responsibleOfficer = try row.decode(column: "responsible_officer", as: String?.self)
        appointment = try row.decode(column: "appointment_ms", as: Int64?.self).map(StoredTime.date)
        stepDeadlineMs = try row.decode(column: "step_deadline_ms", as: Int64?.self)
        stepDeadline = stepDeadlineMs.map(StoredTime.date)
        version = try row.decode(column: "version", as: Int.self)
    }
}
