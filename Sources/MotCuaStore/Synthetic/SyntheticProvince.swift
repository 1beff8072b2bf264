import Foundation
import Logging
import MotCuaCore
import SQLKit

/// A synthetic province for benchmarks: the real 2025 units of one province, a commune
/// People's Committee for each commune, the demo departments and catalogue, and `dossiers`
/// dossiers whose lives are played through the state machine, spread from `from` to `now`.
/// Rows are written in bulk (the same rows the service writes: dossiers, history, agencies,
/// facts, rollups), so a million dossiers take minutes. Deterministic for a seed.
public struct SyntheticProvince: Sendable {
    public var province = "01"
    public var dossiers: Int
    public var seed: UInt64 = 766
    public var from: Date
    public var now: Date
    public var batch = 5000

    public init(dossiers: Int, from: Date, now: Date) {
        self.dossiers = dossiers
        self.from = from
        self.now = now
    }

    /// The agency code of a commune's People's Committee.
    public static func communeAgency(_ commune: String) -> String { "UB.\(commune)" }

    /// Units, agencies and catalogue; returns what dossiers are offered.
    func prepare(_ database: Database, logger: Logger) async throws -> [SyntheticLife.Offer] {
        let units = try BundledUnitLists.reform2025().filter { $0.provinceCode == province }
        _ = try await UnitRepository(database: database).importUnits(units)
        let unitCodes = Set(units.map(\.code))
        let communes = units.filter { $0.level == .commune }.map(\.code)
        let agencies = try DemoData.agencies().filter { unitCodes.contains($0.unitCode) } + communes.map { Agency(code: Self.communeAgency($0), name: "Ủy ban nhân dân xã \($0)", kind: .communeCommittee, unitCode: $0) }
        let communeAgencies = communes.map(Self.communeAgency)
        let known = Set(agencies.map(\.code))
        return try await database.transaction { db in
            var offers: [SyntheticLife.Offer] = []
            for agency in agencies where try await AgencyRepository.find(agency.code, in: db) == nil {
                _ = try await AgencyRepository.create(agency, in: db)
            }
            for var document in try DemoData.catalogue().procedures {
                guard var process = document.processes.last, document.procedure.status == .published else { continue }
                let commune = document.procedure.level == .commune
                if commune { document.procedure.receivingAgencies = communeAgencies }
                document.procedure.decidingAgencies = document.procedure.decidingAgencies.filter { known.contains($0) }
                if commune { document.procedure.decidingAgencies = communeAgencies }
                guard document.procedure.receivingAgencies.allSatisfy({ known.contains($0) }),
                      process.steps.allSatisfy({ step in step.agency.map { known.contains($0) } ?? true })
                else { continue }
                if let stored = try await CatalogueRepository.find(document.procedure.code, in: db) {
                    // A database with the catalogue already in it: dossiers follow its latest process version.
                    guard let latest = stored.document.processes.last else { continue }
                    process = latest
                } else {
                    _ = try await CatalogueRepository.create(document, in: db)
                }
                // Commune procedures are most of the volume.
                offers.append(.init(procedure: document.procedure, process: process, agencies: document.procedure.receivingAgencies,
                                    weight: commune ? 4 : 1))
            }
            return offers
        }
    }

    /// Units, agencies and catalogue only (for benchmarks that write through the service):
    /// each procedure offered, its process, and the agencies receiving it.
    public func prepareWithoutDossiers(_ database: Database, logger: Logger) async throws
        -> [(procedure: Procedure, process: ProcessVersion, agencies: [String])] {
        try await prepare(database, logger: logger).map { ($0.procedure, $0.process, $0.agencies) }
    }

    /// Generates and writes the dossiers; returns how many were written.
    @discardableResult
    public func generate(into database: Database, calendar: WorkingCalendar, logger: Logger,
                         progress: (@Sendable (Int) -> Void)? = nil) async throws -> Int {
        let offers = try await prepare(database, logger: logger)
        let total = offers.reduce(0) { $0 + $1.weight }
        var sequences: [String: Int] = [:]
        var written = 0
        // The next batch is played on the other core while this one is written.
        let settings = self
        func play(_ start: Int) -> Task<[SyntheticLife], Never> {
            Task.detached {
                (start..<min(start + settings.batch, settings.dossiers)).compactMap { index in
                    SyntheticLife.play(index: index, of: settings.dossiers, seed: settings.seed, offers: offers, totalWeight: total, from: settings.from,
                                       now: settings.now, calendar: calendar, policy: DossierPolicy())
                }
            }
        }
        var next = dossiers > 0 ? play(0) : nil
        var start = 0
        return try await BulkLoadIndexes.withoutSecondaryIndexes(database) {
            while let current = next {
                let lives = await current.value
                start += batch
                next = start < dossiers ? play(start) : nil
                let numbered = number(lives, &sequences)
                try await database.transaction { db in
                    // A bulk load touches far more index pages than SQLite's default 2 MB cache holds.
                    if database.kind == .sqlite { try await db.raw("PRAGMA cache_size = -1048576").run() }
                    try await write(numbered, calendar: calendar, in: db)
                }
                written += lives.count
                progress?(written)
            }
            return written
        }
    }

    /// Each dossier's code: its agency, its day and the day's next number at that agency.
    func number(_ lives: [SyntheticLife], _ sequences: inout [String: Int]) -> [(code: String, life: SyntheticLife, last: (String, Int))] {
        lives.map { life in
            let day = CivilDate.of(life.state.submittedAt)
            let key = "\(life.agency)|\(day)"
            let sequence = (sequences[key] ?? 0) + 1
            sequences[key] = sequence
            return (DossierCode.make(agencyCode: life.agency, date: day, sequence: sequence), life, (key, sequence))
        }
    }

    func write(_ lives: [(code: String, life: SyntheticLife, last: (String, Int))], calendar: WorkingCalendar,
               in db: any SQLDatabase) async throws {
        var dossierRows: [[any Encodable & Sendable]] = [], eventRows: [[any Encodable & Sendable]] = []
        var agencyRows: [[any Encodable & Sendable]] = [], factRows: [[any Encodable & Sendable]] = []
        var rollups = Rollups()
        let stamp = ISO8601DateFormatter().string(from: now)
        var lastNumbers: [String: Int] = [:]
        for (code, life, last) in lives {
            lastNumbers[last.0] = max(lastNumbers[last.0] ?? 0, last.1)
            let applicant = Applicant(fullName: "Người nộp \(code.suffix(11))", citizenId: "001190012345", phone: "0912345678")
            dossierRows.append([code, life.procedure.code, life.process.version, life.agency, life.currentAgency, province, life.citizen,
                                life.state.status.rawValue, StoredTime.ms(life.state.appointment), StoredTime.ms(life.state.stepDeadline),
                                StoredJSON.text(of: life.state), StoredJSON.text(of: applicant), life.events.count, stamp, stamp, life.officer])
            for (n, event) in life.events.enumerated() {
                eventRows.append([code, n + 1, event.command, event.actor.id, event.actor.role.rawValue, StoredTime.ms(event.at),
                                  event.fromStatus?.rawValue, event.toStatus.rawValue, event.reason, StoredJSON.object(event.data)])
            }
            agencyRows += life.visited.map { [code, $0] }
            var fact = DossierFact(code: code, agency: life.agency, procedure: life.procedure.code)
            for event in life.events { fact.record(event) }
            fact.update(from: life.state, onlineLevel: life.procedure.onlineLevel, officer: life.officer, calendar: calendar)
            factRows.append(FactRepository.row(fact))
            rollups.add(fact, sign: 1)
        }
        try await db.bulkInsert(into: "dossiers", columns: [
            "code", "procedure_code", "process_version", "receiving_agency", "current_agency", "province_code", "applicant_account", "status",
            "appointment_ms", "step_deadline_ms", "state", "applicant", "version", "created_at", "updated_at", "responsible_officer"], dossierRows)
        try await db.bulkInsert(into: "dossier_events", columns: [
            "dossier_code", "sequence", "command", "actor_id", "actor_role", "at_ms", "from_status", "to_status", "reason", "data"], eventRows)
        try await db.bulkInsert(into: "dossier_agencies", columns: ["dossier_code", "agency_code"], agencyRows)
        try await db.bulkInsert(into: "dossier_facts", columns: FactRepository.columns, factRows)
        try await FactRepository.writeInSlices(rollups.trimmed, in: db)
        // The day's counters, so that dossiers submitted later through the service get new numbers.
        for (key, last) in lastNumbers.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|").map(String.init)
            try await db.raw("""
                INSERT INTO dossier_code_sequences (agency_code, day, last_value) VALUES (\(bind: parts[0]), \(bind: parts[1]), \(bind: last))
                ON CONFLICT (agency_code, day) DO UPDATE SET last_value = excluded.last_value
                """).run()
        }
    }
}
