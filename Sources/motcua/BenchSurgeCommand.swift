import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore
import SQLKit

extension BenchCommand {
    /// Scenario 5 (surge): online submissions arriving at a fixed rate whatever the answers (an
    /// enrolment opening), at 1, 2 and 4 times the saturation point measured first; goodput,
    /// how fast the excess is turned away, and afterwards a count of every acknowledged
    /// submission in the database.
    struct Surge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Online submissions at 1×, 2× and 4× the saturation rate: goodput, shed answers, acknowledged submissions counted afterwards.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Closed-loop clients used to find the saturation point.") var clients = 16
        @Option(help: "Commune desks the submissions go to (a citizen each).") var desks = 8
        @Option(help: "Seconds of each phase.") var seconds = 15
        @Option(help: "Load multiples of the saturation rate, comma-separated.") var multiples = "1,2,4"
        @Option(help: "Kept-alive connections the open-loop load is sent on (by one thread).") var connections = 256
        @Option(help: "Seconds a client waits for an answer before giving up.") var timeout = 10
        @Option(help: "The server's bound on requests in flight (its --max-in-flight).") var serverMaxInFlight = 64
        @Option(help: "Port for the server under test.") var serverPort = 18183

        func run() async throws {
            let seconds = Double(self.seconds)
            try await Bench.withScratchLocation(settings) { location, flags in
                var configuration = try settings.resolve()
                configuration.database = location
                let environment = try await AppEnvironment.prepare(configuration, logger: Bench.quietLogger)
                let desks = self.desks
                let desk = try await BenchDesk.prepare(environment, desks: desks)
                let acknowledged = BenchQueue()
                let phases = try await BenchLoad.withServer(arguments: flags + ["--max-in-flight", "\(serverMaxInFlight)"], port: serverPort) { server in
                    // Where the two cores went: the server's share and the load generator's own.
                    func measured<R>(_ body: () -> R) -> (R, server: Double, client: Double) {
                        let s0 = BenchLoad.cpuSeconds(of: server.processIdentifier), c0 = BenchLoad.cpuSeconds(of: getpid())
                        let start = Date()
                        let result = body()
                        let wall = Date().timeIntervalSince(start)
                        return (result, (BenchLoad.cpuSeconds(of: server.processIdentifier) - s0) / wall,
                                (BenchLoad.cpuSeconds(of: getpid()) - c0) / wall)
                    }
                    let closed = (0..<clients).map { _ in BenchConnection(port: serverPort, timeout: timeout) }
                    let (saturation, server, client) = measured {
                        BenchWrites.closedLoop(clients: clients, seconds: seconds) { client, _ in
                            Self.submit(desk, client % desks, on: closed[client], acknowledged: acknowledged)
                        }
                    }
                    var first = BenchSurge.Result(closed: saturation)
                    (first.serverCores, first.clientCores) = (server, client)
                    var phases: [(String, BenchSurge.Result)] = [("saturation, \(clients) closed-loop clients", first)]
                    let rate = Double(saturation.statuses[201] ?? 0) / saturation.seconds
                    for multiple in multiples.split(separator: ",").compactMap({ Double($0) }) {
                        usleep(2_000_000)   // let the previous phase drain
                        // Built before the clock starts: the load, not its making, is what is measured.
                        let requests = (0..<Int(rate * multiple * seconds)).map { Self.submission(desk, $0 % desks) }
                        let load = BenchOpenLoop(rate: rate * multiple, port: serverPort, connections: connections, timeout: Double(timeout))
                        let (outcome, server, client) = measured { load.run(requests) }
                        var result = outcome.result
                        for body in outcome.acknowledgedBodies {
                            if let code = BenchDesk.dossierCode(in: String(decoding: body, as: UTF8.self)) { acknowledged.push(code) }
                        }
                        (result.serverCores, result.clientCores) = (server, client)
                        phases.append(("\(String(format: "%g", multiple))× = \(Int(rate * multiple))/s offered", result))
                    }
                    return phases
                }
                let codes = acknowledged.all
                let found = try await Self.count(codes, in: environment.database)
                let created = try await environment.database.withConnection { db in
                    try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossiers").first(decodingColumn: "n", as: Int.self) ?? 0
                }
                try await environment.database.close()
                let kind = location.kind.rawValue
                let base = phases[0].1.goodput
                // The closed-loop clients may stop short of the server's best, which an open-loop
                // phase then reaches: against the best phase the ratio cannot flatter.
                let best = phases.map(\.1.goodput).max() ?? base
                Output.current.out("phase\tdatabase\tsent\tacknowledged 201\tgoodput/s\tvs saturation\tvs best phase\tp50 201 ms\tp99 201 ms\tshed 503\tp50 503 ms\tp99 503 ms\tretry-after\ttimed out\tother\tsent late >100 ms\tserver cores\tload generator cores")
                for (name, r) in phases {
                    Output.current.out([name, kind, "\(r.sent)", "\(r.acknowledged)", String(format: "%.0f", r.goodput),
                                        String(format: "%.2f", r.goodput / base), String(format: "%.2f", r.goodput / best),
                                        Bench.format(Bench.percentile(r.okLatencies, 50) * 1000), Bench.format(Bench.percentile(r.okLatencies, 99) * 1000),
                                        "\(r.shed)", Bench.format(Bench.percentile(r.shedLatencies, 50) * 1000),
                                        Bench.format(Bench.percentile(r.shedLatencies, 99) * 1000), r.retryAfter ? "yes" : (r.shed == 0 ? "-" : "NO"),
                                        "\(r.timedOut)", "\(r.other)", "\(r.late)",
                                        String(format: "%.2f", r.serverCores), String(format: "%.2f", r.clientCores)].joined(separator: "\t"))
                }
                Output.current.out("count\tacknowledged \(codes.count)\tfound in the database \(found)\tlost \(codes.count - found)\tdossiers in the database \(created) (unacknowledged but written: \(created - found))")
            }
        }

        /// An online submission by desk `index`'s citizen, under a key of its own.
        static func submission(_ desk: BenchDesk, _ index: Int) -> [UInt8] {
            BenchConnection.request(method: "POST", path: "/api/v1/dossiers",
                                    headers: ["Authorization": "Bearer \(desk.citizens[index])", "Idempotency-Key": UUID().uuidString],
                                    body: desk.application(index, counter: false))
        }

        static func submit(_ desk: BenchDesk, _ index: Int, on connection: BenchConnection, acknowledged: BenchQueue) -> BenchLoad.Reply {
            let reply = connection.send(Self.submission(desk, index))
            if reply.status == 201, let code = BenchDesk.dossierCode(in: reply.body) { acknowledged.push(code) }
            return reply
        }

        /// How many of `codes` the database holds.
        static func count(_ codes: [String], in database: Database) async throws -> Int {
            var found = 0
            for start in stride(from: 0, to: codes.count, by: 500) {
                let chunk = Array(codes[start..<min(start + 500, codes.count)])
                found += try await database.withConnection { db in
                    try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossiers").where("code", .in, chunk)
                        .first(decodingColumn: "n", as: Int.self) ?? 0
                }
            }
            return found
        }
    }
}

/// What a surge phase did: answers by kind, their latencies, and the cores each side used.
enum BenchSurge {
    struct Result {
        var sent = 0, acknowledged = 0, shed = 0, timedOut = 0, other = 0, late = 0
        var retryAfter = true
        var okLatencies: [Double] = [], shedLatencies: [Double] = []
        var seconds = 0.0
        var serverCores = 0.0, clientCores = 0.0
        var goodput: Double { Double(acknowledged) / max(seconds, 1e-9) }

        init() {}

        init(closed: BenchLoad.Result) {
            sent = closed.statuses.values.reduce(0, +)
            acknowledged = closed.statuses[201] ?? 0
            shed = closed.statuses[503] ?? 0
            timedOut = closed.statuses[0] ?? 0
            other = sent - acknowledged - shed - timedOut
            okLatencies = closed.latencies
            seconds = closed.seconds
        }

        mutating func add(status: Int, seconds: Double, retryAfter hasRetryAfter: Bool, lateBy: Double) {
            sent += 1
            if lateBy > 0.1 { late += 1 }
            switch status {
            case 201:
                acknowledged += 1
                okLatencies.append(seconds)
            case 503, 429:
                shed += 1
                shedLatencies.append(seconds)
                if !hasRetryAfter { retryAfter = false }
            case 0: timedOut += 1
            default: other += 1
            }
        }
    }
}
