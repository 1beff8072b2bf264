import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MotCuaCore
import MotCuaServer
import MotCuaStore
import ServiceLifecycle
import SQLKit

/// Benchmarks whose numbers go to BENCHMARKS.md. Each runs on a scratch database (a temporary
/// SQLite file, or a new PostgreSQL database next to the one DATABASE_URL names, dropped after)
/// and reports a reference measured in the same run, so results read as ratios.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (results as ratios to a reference run in the same session).",
        subcommands: [UnitsImport.self, CatalogueSearch.self, Generate.self, Reports.self, Inbox.self, Intake.self, Surge.self])

    struct UnitsImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "units-import", abstract: "Import both unit registers and the merges into an empty database.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Runs.") var runs = 3

        func run() async throws {
            let legacy = try BundledUnitLists.legacy(), current = try BundledUnitLists.reform2025(), merges = try BundledUnitLists.merges()
            let rows = legacy.count + current.count + merges.count
            var ours: [Double] = [], reference: [Double] = []
            for _ in 0..<runs {
                try await Bench.withScratch(settings) { database in
                    let start = ContinuousClock.now
                    let repository = UnitRepository(database: database)
                    try await repository.importUnits(legacy)
                    try await repository.importUnits(current)
                    try await repository.applyMerges(merges)
                    ours.append(Bench.seconds(since: start))
                    reference.append(try await Bench.plainInsert(rows: rows, in: database))
                }
            }
            let o = Bench.median(ours), r = Bench.median(reference)
            Output.current.out("units-import\t\(Bench.kind(settings))\trows=\(rows)\tmotcua=\(Bench.format(o)) s\treference=\(Bench.format(r)) s\tratio=\(String(format: "%.2f", o / r))")
        }
    }

    struct CatalogueSearch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalogue-search", abstract: "Search a 2,000-procedure catalogue in-process and over HTTP.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Procedures in the synthetic catalogue.") var procedures = 2000
        @Option(help: "Repetitions of each query.") var repetitions = 200

        static let queries = ["dang ky", "dang ky khai s", "khai sinh dang ky", "giay phep xay d", "chung thuc ban sao",
                              "ho kinh doanh", "cap giay chung nhan quyen su dung dat", "ly lich tu", "tro cap", "k"]

        func run() async throws {
            try await Bench.withScratch(settings) { database in
                try await Bench.syntheticCatalogue(size: procedures, into: database)
                let repository = CatalogueRepository(database: database)
                let environment = AppEnvironment(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
                var configuration = AppConfiguration()
                configuration.port = 0
                try await Bench.withServer(configuration, environment) { port in
                    Output.current.out("query\tin-process p50 ms\tp95 ms\tHTTP p50 ms\tp95 ms\tdirect SQL p50 ms\tratio in-process/SQL\thits")
                    for query in Self.queries {
                        var local: [Double] = [], http: [Double] = [], direct: [Double] = []
                        var hits = 0
                        let path = "/api/v1/procedures?limit=20&q=" + query.replacingOccurrences(of: " ", with: "%20")
                        for _ in 0..<repetitions {
                            var start = ContinuousClock.now
                            hits = try await repository.search(CatalogueFilters(query: query), offset: 0, limit: 20).count
                            local.append(Bench.seconds(since: start) * 1000)
                            start = ContinuousClock.now
                            _ = try await Bench.get(port: port, path: path)
                            http.append(Bench.seconds(since: start) * 1000)
                            start = ContinuousClock.now
                            _ = try await Bench.directSearch(query, in: database)
                            direct.append(Bench.seconds(since: start) * 1000)
                        }
                        Output.current.out([query, Bench.format(Bench.percentile(local, 50)), Bench.format(Bench.percentile(local, 95)),
                                            Bench.format(Bench.percentile(http, 50)), Bench.format(Bench.percentile(http, 95)),
                                            Bench.format(Bench.percentile(direct, 50)),
                                            String(format: "%.2f", Bench.percentile(local, 50) / Bench.percentile(direct, 50)),
                                            "\(hits)"].joined(separator: "\t"))
                    }
                }
            }
        }
    }
}

enum Bench {
    static func kind(_ settings: SettingsOptions) -> String {
        (try? settings.resolve().database.kind.rawValue) ?? "?"
    }

    /// A fresh, migrated database that is removed afterwards.
    static func withScratch(_ settings: SettingsOptions, _ body: (Database) async throws -> Void) async throws {
        var logger = Logger(label: "motcua.bench")
        logger.logLevel = .error
        try await withScratchLocation(settings) { location, _ in
            try await run(try Database.open(location, logger: logger), logger, body)
        }
    }

    /// A fresh, empty database (a temporary SQLite file, or a new PostgreSQL database beside the
    /// configured one), removed afterwards; `body` gets where it is and the `serve` flags naming it.
    static func withScratchLocation(_ settings: SettingsOptions, _ body: (DatabaseLocation, [String]) async throws -> Void) async throws {
        let configuration = try settings.resolve()
        var logger = Logger(label: "motcua.bench")
        logger.logLevel = .error
        switch configuration.database {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("bench.sqlite").path
            try await body(.sqlite(path: path), ["--sqlite-path", path])
        case .postgres(let url):
            let name = "motcua_bench_\(UInt32.random(in: 0...UInt32.max))"
            let admin = try Database.open(.postgres(url: url), logger: logger, maxConnections: 1)
            try await admin.withConnection { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var components = URLComponents(string: url)!
            components.path = "/\(name)"
            let scratch = components.string!
            do {
                try await body(.postgres(url: scratch), ["--database-url", scratch])
            } catch {
                try? await drop(name, admin)
                try? await admin.close()
                throw error
            }
            try await drop(name, admin)
            try await admin.close()
        }
    }

    /// Drops a scratch database, trying again for a few seconds: an autovacuum worker on it, which
    /// only a superuser may end, makes `WITH (FORCE)` fail until the worker is done (seen once
    /// after a surge run).
    private static func drop(_ name: String, _ admin: Database) async throws {
        for attempt in 1... {
            do {
                return try await admin.withConnection { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
            } catch where attempt < 40 {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private static func run(_ database: Database, _ logger: Logger, _ body: (Database) async throws -> Void) async throws {
        do {
            try await Migrator(database: database).migrate(logger: logger)
            try await body(database)
            try await database.close()
        } catch {
            try? await database.close()
            throw error
        }
    }

    /// The reference for imports: the same number of rows of similar width, plain multi-row
    /// INSERTs in one transaction, no parsing, checks or upserts.
    static func plainInsert(rows: Int, in database: Database) async throws -> Double {
        try await database.withConnection { try await $0.raw("CREATE TABLE bench_reference (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT)").run() }
        let start = ContinuousClock.now
        try await database.transaction { db in
            for batch in stride(from: 0, to: rows, by: 400) {
                var insert = db.insert(into: "bench_reference").columns("a", "b", "c", "d", "e")
                for i in batch..<min(batch + 400, rows) {
                    insert = insert.values(SQLBind("\(i)"), SQLBind("Phường Số \(i)"), SQLBind("Phường"), SQLBind("01"), SQLBind("2025-07-01"))
                }
                try await insert.run()
            }
        }
        return seconds(since: start)
    }

    /// The reference for search: the prefilter alone, straight SQL, no ranking, no JSON.
    static func directSearch(_ query: String, in database: Database) async throws -> Int {
        let terms = MotCuaCore.CatalogueSearch.terms(query)
        return try await database.withConnection { db in
            var select = db.select().columns("code", "name", "search_text").from("procedures").where("status", .equal, "published")
            for term in terms { select = select.where("search_text", .like, "% \(term)%") }
            return try await select.all().count
        }
    }

    /// The demo catalogue, multiplied into `size` procedures with distinct codes and names.
    static func syntheticCatalogue(size: Int, into database: Database) async throws {
        try await UnitRepository(database: database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
        try await database.transaction { db in
            for agency in try DemoData.agencies() { _ = try await AgencyRepository.create(agency, in: db) }
        }
        let base = try DemoData.catalogue().procedures
        let variants = ["đối với công dân", "có yếu tố nước ngoài", "trường hợp đặc biệt", "cấp lại", "điều chỉnh", "gia hạn",
                        "cho tổ chức", "cho hộ gia đình", "bổ sung", "trực tuyến"]
        try await database.transaction { db in
            for index in 0..<size {
                var document = base[index % base.count]
                document.procedure.code = "9.\(String(format: "%06d", index))"
                if index >= base.count {
                    let round = index / base.count
                    document.procedure.name += " (\(variants[round % variants.count]) \(round))"
                }
                _ = try await CatalogueRepository.create(document, in: db)
            }
        }
    }

    /// The application on a loopback port for the duration of `body`.
    static func withServer(_ configuration: AppConfiguration, _ environment: AppEnvironment, _ body: (Int) async throws -> Void) async throws {
        var logger = Logger(label: "motcua.bench")
        logger.logLevel = .error
        let port = PortBox()
        let app = Application(router: buildRouter(environment), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.value == 0 { try await Task.sleep(for: .milliseconds(20)) }
            do {
                try await body(port.value)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    final class PortBox: @unchecked Sendable {
        private let lock = NSLock()
        private var port = 0
        var value: Int { lock.withLock { port } }
        func set(_ value: Int) { lock.withLock { port = value } }
    }

    /// One HTTP/1.1 GET on a new loopback connection; returns the status code.
    static func get(port: Int, path: String) async throws -> Int {
        try await Task.detached {
            let reply = BenchLoad.send(port: port, method: "GET", path: path, headers: [:])
            guard reply.status != 0 else { throw UsageError("bench: cannot connect to 127.0.0.1:\(port)") }
            return reply.status
        }.value
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 50) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[rank]
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.3f" : "%.1f", value) }
}
