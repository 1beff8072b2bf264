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

    /// What the client threads of a run gather.
    final class Collector: @unchecked Sendable {
        let lock = NSLock()
        var result = Result()
    }

    /// `users` threads each sending `requests` GETs of `path` one after another on its own
    /// kept-alive connection, as a browser does.
    static func run(port: Int, path: String, headers: [String: String], users: Int, requests: Int) -> Result {
        let connections = (0..<users).map { _ in BenchConnection(port: port) }
        return BenchWrites.closedLoop(clients: users, seconds: .infinity) { user, iteration in
            iteration < requests ? connections[user].send(method: "GET", path: path, headers: headers) : nil
        }
    }

    /// One GET on a new loopback connection: the status and the seconds it took.
    static func get(port: Int, path: String, headers: [String: String]) -> (Int, Double) {
        let reply = send(port: port, method: "GET", path: path, headers: headers)
        return (reply.status, reply.seconds)
    }

    struct Reply {
        /// 0: no connection or no answer within the timeout.
        var status: Int
        var seconds: Double
        var body: String
    }

    /// One request on a new loopback connection (`Connection: close`), waiting at most `timeout`
    /// seconds for the answer.
    static func send(port: Int, method: String, path: String, headers: [String: String], body: String? = nil,
                     timeout: Int = 30) -> Reply {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        guard let handle = connectLoopback(port: port, timeout: timeout) else { return Reply(status: 0, seconds: elapsed(), body: "") }
        defer { close(handle) }
        let request = BenchConnection.request(method: method, path: path, headers: headers.merging(["Connection": "close"]) { $1 }, body: body)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(handle, $0.baseAddress, $0.count) }
            if count <= 0 { return Reply(status: 0, seconds: elapsed(), body: "") }
            sent += count
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(handle, &buffer, buffer.count)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let seconds = elapsed()
        guard let (status, headEnd, length) = BenchFraming.frame(response) else { return Reply(status: 0, seconds: seconds, body: "") }
        return Reply(status: status, seconds: seconds, body: String(decoding: BenchFraming.body(response, headEnd: headEnd, length: length), as: UTF8.self))
    }

    /// A TCP connection to 127.0.0.1:`port` whose reads give up after `timeout` seconds.
    static func connectLoopback(port: Int, timeout: Int) -> Int32? {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(handle, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(handle)
            return nil
        }
        return handle
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

    /// CPU seconds (user and system) a process has used so far (Linux `/proc`).
    static func cpuSeconds(of pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is the 3rd field, utime the 14th and stime the 15th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
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
