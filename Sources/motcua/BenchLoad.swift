import Foundation
import MotCuaStore

/// Load from real threads against a server in its own process, so that the client's waiting
/// never shares the server's threads and the server's memory is its own.
enum BenchLoad {
    struct Result {
        var latencies: [Double] = []
        var statuses: [Int: Int] = [:]
        var seconds = 0.0

        var throughput: Double { Double(latencies.count) / max(seconds, 1e-9) }
        func percentile(_ p: Double) -> Double { Bench.percentile(latencies, p) * 1000 }
    }

    /// `users` threads each sending `requests` GETs of `path` one after another.
    final class Collector: @unchecked Sendable {
        let lock = NSLock()
        var result = Result()
    }

    static func run(port: Int, path: String, headers: [String: String], users: Int, requests: Int) -> Result {
        let collector = Collector()
        let group = DispatchGroup()
        let start = Date()
        for _ in 0..<users {
            group.enter()
            let thread = Thread {
                var mine: [(Int, Double)] = []
                for _ in 0..<requests { mine.append(get(port: port, path: path, headers: headers)) }
                collector.lock.withLock {
                    for (status, seconds) in mine {
                        collector.result.latencies.append(seconds)
                        collector.result.statuses[status, default: 0] += 1
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

    /// One GET on a new loopback connection: the status and the seconds it took.
    static func get(port: Int, path: String, headers: [String: String]) -> (Int, Double) {
        let start = DispatchTime.now()
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(handle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return (0, 0) }
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)Connection: close\r\n\r\n"
        _ = request.withCString { write(handle, $0, strlen($0)) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(handle, &buffer, buffer.count)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let statusLine = String(decoding: response.prefix(16), as: UTF8.self)
        return (Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0, seconds)
    }

    /// `motcua serve` with the same settings on `port`, in its own process, until `body` returns.
    static func withServer<R>(arguments: [String], port: Int, _ body: (Process) async throws -> R) async throws -> R {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["serve", "--port", "\(port)", "--host", "127.0.0.1", "--log-level", "error"] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        for _ in 0..<300 {
            if get(port: port, path: "/readyz", headers: [:]).0 == 200 { return try await body(process) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw UsageError("bench: the server did not become ready on port \(port)")
    }

    /// The process's resident memory now and at its peak, in MiB (Linux `/proc`).
    static func memory(of pid: Int32) -> (current: Double, peak: Double) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "") else { return 0 }
            return kb / 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }
}
