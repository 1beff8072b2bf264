import Foundation
import MotCuaStore
import SQLKit

/// Closed-loop write load (scenarios 1 and 2) and the references it is measured against.
enum BenchWrites {
    /// `clients` threads, each giving `operation(client, iteration)` back to back until `seconds`
    /// have passed or it returns nil (nothing left to do). Latencies are of 2xx answers.
    static func closedLoop(clients: Int, seconds: Double,
                           _ operation: @escaping @Sendable (Int, Int) -> BenchLoad.Reply?) -> BenchLoad.Result {
        let collector = BenchLoad.Collector()
        let group = DispatchGroup()
        let start = Date()
        let end = start.addingTimeInterval(seconds)
        for client in 0..<clients {
            group.enter()
            let thread = Thread {
                var mine: [BenchLoad.Reply] = []
                var iteration = 0
                while Date() < end, let reply = operation(client, iteration) {
                    mine.append(reply)
                    iteration += 1
                }
                collector.lock.withLock {
                    for reply in mine {
                        if (200..<300).contains(reply.status) { collector.result.latencies.append(reply.seconds) }
                        collector.result.statuses[reply.status, default: 0] += 1
                    }
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        var result = collector.lock.withLock { collector.result }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// A reference run: transactions per second and their latencies in seconds.
    struct Reference {
        var name: String
        var perSecond: Double
        var latencies: [Double]
    }

    /// pgbench's TPC-B-like script at `clients` clients for `seconds` on `url` (after
    /// `pgbench -i -s scale`), with per-transaction latencies from its log.
    static func pgbench(url: String, clients: Int, seconds: Int, scale: Int) throws -> Reference {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-pgbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try run("pgbench", ["-i", "-q", "-s", "\(scale)", url])
        let output = try run("pgbench", ["-c", "\(clients)", "-j", "\(min(clients, 2))", "-T", "\(seconds)", "-n", "-l",
                                         "--log-prefix=\(directory.path)/log", url])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let tps = Double(line.dropFirst(6).split(separator: " ").first ?? "")
        else { throw UsageError("bench: pgbench printed no tps:\n\(output)") }
        var latencies: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let text = try String(contentsOfFile: directory.appendingPathComponent(file).path, encoding: .utf8)
            for row in text.split(separator: "\n") {
                let fields = row.split(separator: " ")
                if fields.count > 2, let micros = Double(fields[2]) { latencies.append(micros / 1e6) }
            }
        }
        return Reference(name: "pgbench TPC-B", perSecond: tps, latencies: latencies)
    }

    /// The SQLite reference (see `SQLiteInsertLoop`), for `seconds`.
    static func sqliteInsertLoop(path: String, seconds: Double) throws -> Reference {
        let start = ContinuousClock.now
        let latencies = try SQLiteInsertLoop.run(path: path, seconds: seconds)
        let elapsed = Bench.seconds(since: start)
        return Reference(name: "SQLite one-row insert loop", perSecond: Double(latencies.count) / elapsed, latencies: latencies)
    }

    /// Runs a program found on PATH; its standard output, or an error with what it printed.
    /// Spawned with no signal blocked: pgbench's `-T` ends on SIGALRM, which the threads of a
    /// Swift process block and a child would otherwise inherit (it would then run forever).
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let outputPath = directory.appendingPathComponent("motcua-run-\(UUID().uuidString).out").path
        let errorPath = outputPath.replacingOccurrences(of: ".out", with: ".err")
        defer { try? FileManager.default.removeItem(atPath: outputPath); try? FileManager.default.removeItem(atPath: errorPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = (["/usr/bin/env", program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw UsageError("bench: could not start \(program) (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let problems = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw UsageError("bench: \(program) failed (status \(status)): \(problems)")
        }
        return output
    }
}
