import Foundation
import MotCuaCore
import SQLKit

/// The key of one rollup row.
public struct RollupKey: Hashable, Sendable {
    public let grain: ReportGrain
    public let period: Int
    public let agency: String
    public let procedure: String

    static func precedes(_ a: RollupKey, _ b: RollupKey) -> Bool {
        (a.grain.rawValue, a.period, a.agency, a.procedure) < (b.grain.rawValue, b.period, b.agency, b.procedure)
    }
}

/// Rollup rows as sums, and histogram rows: what the rollup tables hold, or must hold.
public struct Rollups: Equatable, Sendable {
    public var counters: [RollupKey: CounterSums] = [:]
    public var durations: [RollupKey: [Int: Int]] = [:]

    public init() {}

    /// Adds (sign +1) or takes off (sign -1) a fact's contributions, on every grain.
    public mutating func add(_ fact: DossierFact, sign: Int) {
        for c in fact.contributions {
            for grain in ReportGrain.allCases {
                counters[RollupKey(grain: grain, period: grain.period(of: c.day), agency: fact.agency, procedure: fact.procedure),
                         default: CounterSums()].add(c.counter, sign * c.amount)
            }
        }
        // Durations are only read for a period, so they need no all-time row.
        if let bucket = fact.durationBucket, let day = fact.closedDay {
            for grain in ReportGrain.calendar {
                let key = RollupKey(grain: grain, period: grain.period(of: day), agency: fact.agency, procedure: fact.procedure)
                durations[key, default: [:]][bucket, default: 0] += sign
            }
        }
    }

    /// Without the rows and buckets that add up to nothing.
    public var trimmed: Rollups {
        var out = Rollups()
        out.counters = counters.filter { !$0.value.values.isEmpty }
        out.durations = durations.mapValues { $0.filter { $0.value != 0 } }.filter { !$0.value.isEmpty }
        return out
    }
}

/// Dossier facts, and the rollups kept equal to their sums in the same transaction.
public enum FactRepository {
    /// Saves the dossier's new fact and moves the rollups by the difference from the old one.
    public static func save(_ fact: DossierFact, replacing old: DossierFact?, in db: any SQLDatabase) async throws {
        guard fact != old else { return }
        var delta = Rollups()
        if let old { delta.add(old, sign: -1) }
        delta.add(fact, sign: 1)
        try await write(delta.trimmed, in: db)
        if let old { try await update(fact, from: old, in: db) } else { try await insert(fact, in: db) }
    }

    /// The stored fact, locked until the transaction ends (PostgreSQL; SQLite has one writer at a
    /// time anyway): a command and a file attached at once to the same dossier must not both
    /// start from the same old fact, or the rollups would count a change the fact row lost.
    public static func find(_ code: String, in db: any SQLDatabase) async throws -> DossierFact? {
        try await db.cached("dossier_facts.find", [code]) { db, v in select(db).where("dossier_code", .equal, v[0]).for(.update).limit(1) }
            .first().map(decode)
    }

    /// Adds the rows' sums to the rollup tables: one statement per table, whatever the number of rows.
    /// Each shape's text (how many rows, which counters) is kept, since every submission and step
    /// repeats its own; a rebuild's long slices are built each time (see `CachedStatements`).
    static func write(_ rollups: Rollups, in db: any SQLDatabase) async throws {
        // Rows in one order everywhere, so that two transactions never wait on each other in a circle.
        let keys = rollups.counters.keys.sorted(by: RollupKey.precedes)
        let counters = ReportCounter.allCases.filter { c in rollups.counters.values.contains { $0[c] != 0 } }
        if !keys.isEmpty, !counters.isEmpty {
            let names = counters.map(\.rawValue)
            var values: [any Encodable & Sendable] = []
            values.reserveCapacity(keys.count * (4 + names.count))
            for key in keys {
                let sums = rollups.counters[key]!
                values += [key.grain.rawValue, key.period, key.agency, key.procedure] as [any Encodable & Sendable]
                for counter in counters { values.append(sums[counter]) }
            }
            try await db.write(db.cached("report_rollups.add \(keys.count) \(names.joined(separator: ","))", values) { db, v in
                db.raw(rollupsUpsert(names, rows: keys.count, v))
            }.query, into: "report_rollups")
        }
        let buckets = rollups.durations.sorted { RollupKey.precedes($0.key, $1.key) }
            .flatMap { key, histogram in histogram.sorted { $0.key < $1.key }.map { (key, $0.key, $0.value) } }
        if !buckets.isEmpty {
            let values = buckets.flatMap { key, bucket, count -> [any Encodable & Sendable] in
                [key.grain.rawValue, key.period, key.agency, key.procedure, bucket, count]
            }
            try await db.write(db.cached("report_durations.add \(buckets.count)", values) { db, v in
                db.raw(durationsUpsert(rows: buckets.count, v))
            }.query, into: "report_durations")
        }
    }

    /// `rows` rows of the key and `names`' sums, added to those stored.
    private static func rollupsUpsert(_ names: [String], rows: Int, _ v: [SQLBind]) -> SQLQueryString {
        let updates = names.map { "\(unsafeRaw: $0) = report_rollups.\(unsafeRaw: $0) + excluded.\(unsafeRaw: $0)" as SQLQueryString }
        return """
            INSERT INTO report_rollups (grain, period, agency_code, procedure_code, \(unsafeRaw: names.joined(separator: ", ")))
            VALUES \(tuples(v, rows: rows))
            ON CONFLICT (grain, period, agency_code, procedure_code) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }

    private static func durationsUpsert(rows: Int, _ v: [SQLBind]) -> SQLQueryString {
        """
            INSERT INTO report_durations (grain, period, agency_code, procedure_code, bucket, dossiers)
            VALUES \(tuples(v, rows: rows))
            ON CONFLICT (grain, period, agency_code, procedure_code, bucket) DO UPDATE SET dossiers = report_durations.dossiers + excluded.dossiers
            """
    }

    /// `(…), (…)`: `values` cut into `rows` rows of equal width.
    private static func tuples(_ values: [SQLBind], rows: Int) -> SQLQueryString {
        let width = values.count / rows
        return (0..<rows).map { row in
            "(\(values[(row * width)..<(row * width + width)].map { "\($0)" as SQLQueryString }.joined(separator: ", ")))" as SQLQueryString
        }.joined(separator: ", ")
    }

    static let columns = ["dossier_code", "agency_code", "procedure_code", "officer", "received_day", "closed_day", "outcome", "due_day",
                          "overdue", "supplement_day", "rated_day", "online", "fee_payable", "paid_online", "digitised", "apologised",
                          "satisfied", "processing_minutes"]

    /// The fact's values in the order of `columns`.
    static func row(_ f: DossierFact) -> [any Encodable & Hashable & Sendable] {
        [f.code, f.agency, f.procedure, f.officer, f.receivedDay?.dayNumber, f.closedDay?.dayNumber, f.outcome?.rawValue,
         f.dueDay?.dayNumber, f.overdue, f.supplementDay?.dayNumber, f.ratedDay?.dayNumber, f.online?.rawValue, f.feePayable,
         f.paidOnline, f.digitised, f.apologised, f.satisfied, f.processingMinutes]
    }

    // A new fact is inserted and a stored one updated in the columns that changed, rather than
    // one upsert naming every column twice: under SQLite's write lock each statement is parsed
    // again, and that upsert was a third of an intake's SQL.

    static func insert(_ f: DossierFact, in db: any SQLDatabase) async throws {
        try await db.write(db.cached("dossier_facts.insert", row(f).map { $0 as any Encodable & Sendable }) { db, v in
            db.insert(into: "dossier_facts").columns(columns.map { SQLIdentifier($0) }).values(v)
        }.query, into: "dossier_facts")
    }

    /// Writes the columns where `f` differs from `old`, the row as stored (read in this transaction).
    static func update(_ f: DossierFact, from old: DossierFact, in db: any SQLDatabase) async throws {
        let new = row(f), stored = row(old)
        let changed = columns.indices.dropFirst().filter { AnyHashable(new[$0]) != AnyHashable(stored[$0]) }
        guard !changed.isEmpty else { return }
        let values: [any Encodable & Sendable] = changed.map { new[$0] as any Encodable & Sendable } + [f.code]
        let shape = "dossier_facts.update " + changed.map { columns[$0] }.joined(separator: ",")
        try await db.write(db.cached(shape, values) { db, v in
            changed.indices.reduce(db.update("dossier_facts")) { $0.set(SQLIdentifier(columns[changed[$1]]), to: v[$1]) }
                .where("dossier_code", .equal, v[changed.count])
        }.query, into: "dossier_facts")
    }

    /// Adds many rollup rows, a slice per statement to stay under the databases' limits on bound values.
    static func writeInSlices(_ rollups: Rollups, in db: any SQLDatabase) async throws {
        for slice in rollups.counters.keys.sorted(by: RollupKey.precedes).chunks(of: 1000) {
            var part = Rollups()
            for key in slice {
                part.counters[key] = rollups.counters[key]
                part.durations[key] = rollups.durations[key]
            }
            try await write(part, in: db)
        }
    }

    static func select(_ db: any SQLDatabase) -> SQLSelectBuilder {
        // By name, not `*`: a prepared `SELECT *` fails once its table gains a column (see `PreparedStatements`).
        db.select().columns(columns.map { SQLColumn($0) }).from("dossier_facts")
    }

    static func decode(_ row: any SQLRow) throws -> DossierFact { try decode(row, prefix: "") }

    /// `prefix`: what the columns' names start with, where they come joined to another table's.
    static func decode(_ row: any SQLRow, prefix: String) throws -> DossierFact {
        func value<T: Decodable>(_ column: String, _ type: T.Type) throws -> T { try row.decode(column: prefix + column, as: T.self) }
        func day(_ column: String) throws -> CivilDate? { try value(column, Int?.self).flatMap(CivilDate.init(dayNumber:)) }
        var f = DossierFact(code: try value("dossier_code", String.self), agency: try value("agency_code", String.self),
                            procedure: try value("procedure_code", String.self), officer: try value("officer", String?.self))
        f.receivedDay = try day("received_day")
        f.closedDay = try day("closed_day")
        f.outcome = try value("outcome", String?.self).flatMap(DossierFact.Outcome.init(rawValue:))
        f.dueDay = try day("due_day")
        f.overdue = try value("overdue", Bool.self)
        f.supplementDay = try day("supplement_day")
        f.ratedDay = try day("rated_day")
        f.online = try value("online", String?.self).flatMap(DossierFact.Online.init(rawValue:))
        f.feePayable = try value("fee_payable", Bool.self)
        f.paidOnline = try value("paid_online", Bool.self)
        f.digitised = try value("digitised", Bool.self)
        f.apologised = try value("apologised", Bool.self)
        f.satisfied = try value("satisfied", Bool.self)
        f.processingMinutes = try value("processing_minutes", Int?.self)
        return f
    }
}
