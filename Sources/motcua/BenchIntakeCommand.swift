import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore

extension BenchCommand {
    /// Scenarios 1 (intake) and 2 (processing): dossiers submitted over HTTP, online by citizens
    /// and at the counter by intake officers, then taken through every step to their result,
    /// by `clients` concurrent clients; against pgbench's TPC-B on the same PostgreSQL, or a
    /// one-row-per-transaction insert loop on SQLite, measured in the same run.
    struct Intake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Intake and processing over HTTP at N clients, against pgbench TPC-B (PostgreSQL) or a one-row insert loop (SQLite).")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Concurrent clients (one commune desk each).") var clients = 8
        @Option(help: "Seconds each scenario and the reference run.") var seconds = 20
        @Option(help: "pgbench scale factor (PostgreSQL).") var scale = 10
        @Option(help: "Port for the server under test.") var serverPort = 18182

        func run() async throws {
            let clients = self.clients, seconds = Double(self.seconds)
            try await Bench.withScratchLocation(settings) { location, flags in
                var configuration = try settings.resolve()
                configuration.database = location
                let environment = try await AppEnvironment.prepare(configuration, logger: Bench.quietLogger)
                let desk = try await BenchDesk.prepare(environment, desks: clients)
                try await environment.database.close()
                let reference: BenchWrites.Reference
                switch location {
                case .postgres(let url): reference = try BenchWrites.pgbench(url: url, clients: clients, seconds: self.seconds, scale: scale)
                case .sqlite(let path): reference = try BenchWrites.sqliteInsertLoop(path: path + ".reference", seconds: seconds)
                }
                let online = (0..<clients).map { _ in BenchQueue() }
                let (intake, processing) = try await BenchLoad.withServer(arguments: flags, port: serverPort) { _ in
                    let intake = Self.intake(desk, port: serverPort, clients: clients, seconds: seconds, online: online)
                    let processing = Self.processing(desk, port: serverPort, clients: clients, seconds: seconds, online: online)
                    return (intake, processing)
                }
                let kind = location.kind.rawValue
                Output.current.out("scenario\tdatabase\tclients\tdone\tper s\tp50 ms\tp95 ms\tp99 ms\treference\tref per s\tref p50 ms\tref p95 ms\tref p99 ms\tratio\tstatuses")
                for (name, result) in [("intake", intake), ("processing", processing)] {
                    let statuses = result.statuses.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
                    let ref = reference.latencies
                    Output.current.out([name, kind, "\(clients)", "\(result.latencies.count)", String(format: "%.0f", result.throughput),
                                        Bench.format(result.percentile(50)), Bench.format(result.percentile(95)), Bench.format(result.percentile(99)),
                                        reference.name, String(format: "%.0f", reference.perSecond),
                                        Bench.format(Bench.percentile(ref, 50) * 1000), Bench.format(Bench.percentile(ref, 95) * 1000),
                                        Bench.format(Bench.percentile(ref, 99) * 1000),
                                        String(format: "%.2f", result.throughput / reference.perSecond), statuses].joined(separator: "\t"))
                }
                let left = online.map(\.count).reduce(0, +)
                Output.current.out("note\tprocess of \(desk.steps) steps, \(desk.life.count) commands a dossier; online dossiers left unprocessed \(left)")
            }
        }

        /// Each client alternates an online submission by its citizen and a counter submission,
        /// accepted at once, by its intake officer; online ones queue for processing.
        static func intake(_ desk: BenchDesk, port: Int, clients: Int, seconds: Double, online: [BenchQueue]) -> BenchLoad.Result {
            let connections = (0..<clients).map { _ in BenchConnection(port: port) }
            return BenchWrites.closedLoop(clients: clients, seconds: seconds) { client, iteration in
                let counter = iteration % 2 == 1
                let token = counter ? desk.intake[client] : desk.citizens[client]
                let reply = connections[client].send(method: "POST", path: "/api/v1/dossiers",
                                           headers: ["Authorization": "Bearer \(token)", "Idempotency-Key": UUID().uuidString],
                                           body: desk.application(client, counter: counter))
                if reply.status == 201, !counter, let code = BenchDesk.dossierCode(in: reply.body) { online[client].push(code) }
                return reply
            }
        }

        /// Each client takes its desk's online dossiers one by one through every command of
        /// their life: acceptance, each step, approval, the result ready, the result returned.
        static func processing(_ desk: BenchDesk, port: Int, clients: Int, seconds: Double, online: [BenchQueue]) -> BenchLoad.Result {
            let cursors = (0..<clients).map { _ in BenchCursor() }
            let connections = (0..<clients).map { _ in BenchConnection(port: port) }
            let life = desk.life
            return BenchWrites.closedLoop(clients: clients, seconds: seconds) { client, _ in
                let cursor = cursors[client]
                if cursor.code == nil {
                    guard let next = online[client].pop() else { return nil }
                    (cursor.code, cursor.version, cursor.position) = (next, 1, 0)
                }
                let (verb, leader) = life[cursor.position]
                let token = leader ? desk.leaders[client] : desk.intake[client]
                let reply = connections[client].send(method: "POST", path: "/api/v1/dossiers/\(cursor.code!)/\(verb)",
                                           headers: ["Authorization": "Bearer \(token)"], body: "{\"expectedVersion\":\(cursor.version)}")
                if reply.status == 200 {
                    cursor.version += 1
                    cursor.position += 1
                    if cursor.position == life.count { cursor.code = nil }
                } else {
                    cursor.code = nil
                }
                return reply
            }
        }
    }
}

/// Dossier codes waiting for a client.
final class BenchQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var codes: [String] = []
    private var next = 0

    func push(_ code: String) { lock.withLock { codes.append(code) } }
    func pop() -> String? {
        lock.withLock {
            guard next < codes.count else { return nil }
            next += 1
            return codes[next - 1]
        }
    }
    var count: Int { lock.withLock { codes.count - next } }
    var all: [String] { lock.withLock { codes } }
}

/// Where one processing client is: its dossier, the version it read, the next command.
final class BenchCursor: @unchecked Sendable {
    var code: String?
    var version = 1
    var position = 0
}
