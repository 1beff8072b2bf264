import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MotCuaCore
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Collects log lines in memory so tests can read what the server logged.
final class LogCapture: Sendable {
    let lines = NIOLockedValueBox<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "motcua.test") { label in
            JSONLogHandler(label: label) { line in self.lines.withLockedValue { $0.append(line) } }
        }
        logger.logLevel = .info
        return logger
    }
}

/// A server on a fresh SQLite file, as `serve` builds it.
func withTestEnvironment<R>(_ body: (AppEnvironment, AppConfiguration, LogCapture) async throws -> R) async throws -> R {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = AppConfiguration()
    configuration.database = .sqlite(path: directory.appendingPathComponent("motcua.sqlite").path)
    configuration.port = 0
    let capture = LogCapture()
    let environment = try await AppEnvironment.prepare(configuration, logger: capture.logger)
    do {
        let result = try await body(environment, configuration, capture)
        try await environment.database.close()
        return result
    } catch {
        try? await environment.database.close()
        throw error
    }
}

@Suite struct ServerTests {
    @Test func healthReadinessAndMetrics() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            let app = buildApplication(configuration, environment: environment, logger: capture.logger)
            try await app.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "ok\n")
                }
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = String(buffer: response.body)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    #expect(text.contains(#"motcua_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
                    #expect(text.contains(#"motcua_http_request_duration_seconds_bucket{route="/readyz",method="GET",status="200""#))
                }
            }
            // The database was closed when the application stopped: readiness now fails.
            #expect(await environment.database.isReachable() == false)
        }
    }

    @Test func readinessFailsWhenTheDatabaseIsGone() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            try await environment.database.close()
            let router = buildRouter(environment)
            try await Application(router: router, logger: capture.logger).test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                }
            }
        }
    }

    /// One line per request with its id, route pattern, status and duration; the id is on the
    /// response; the concrete path and query (which may carry personal data) never reach the log.
    @Test func requestsAreLoggedWithAnIdAndNoPersonalData() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            let app = buildApplication(configuration, environment: environment, logger: capture.logger)
            let ids = NIOLockedValueBox<[String]>([])
            try await app.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "trace-abc-12345"]) { response in
                    #expect(response.headers[.init("X-Request-Id")!] == "trace-abc-12345")
                }
                try await client.execute(uri: "/track/079204001234?phone=0912345678", method: .get) { response in
                    #expect(response.status == .notFound)
                    ids.withLockedValue { $0.append(response.headers[.init("X-Request-Id")!] ?? "") }
                }
                // An id that could carry data into the logs is replaced.
                try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "Nguyễn Văn A 0912345678"]) { response in
                    #expect(response.headers[.init("X-Request-Id")!] != "Nguyễn Văn A 0912345678")
                }
            }
            let requestLines = capture.lines.withLockedValue { $0 }.filter { $0.contains(#""message":"request""#) }
            #expect(requestLines.count == 3)
            #expect(requestLines[0].contains(#""request_id":"trace-abc-12345""#))
            #expect(requestLines[0].contains(#""route":"/healthz""#) && requestLines[0].contains(#""status":"200""#))
            #expect(requestLines[1].contains(#""request_id":"\#(ids.withLockedValue { $0[0] })""#))
            let all = capture.lines.withLockedValue { $0 }.joined()
            #expect(!all.contains("079204001234") && !all.contains("0912345678") && !all.contains("Nguyễn"))
        }
    }

    /// SIGTERM-style graceful shutdown: a request in flight finishes, then the database closes.
    @Test func gracefulShutdownLetsInFlightRequestsFinish() async throws {
        try await withTestEnvironment { environment, configuration, capture in
            let router = buildRouter(environment)
            router.get("slow") { _, _ in
                try await Task.sleep(for: .milliseconds(700))
                return "done"
            }
            let port = NIOLockedValueBox<Int?>(nil)
            let app = Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                services: [DatabaseService(database: environment.database, logger: capture.logger)],
                onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } },
                logger: capture.logger
            )
            let group = ServiceGroup(configuration: .init(services: [app], logger: capture.logger))
            try await withThrowingTaskGroup(of: String?.self) { tasks in
                tasks.addTask { try await group.run(); return nil }
                var waited = 0
                while port.withLockedValue({ $0 }) == nil && waited < 100 {
                    try await Task.sleep(for: .milliseconds(50)); waited += 1
                }
                let url = URL(string: "http://127.0.0.1:\(port.withLockedValue { $0 }!)/slow")!
                tasks.addTask { try await HTTP.get(url) }
                try await Task.sleep(for: .milliseconds(200))
                await group.triggerGracefulShutdown()
                var body: String?
                for try await result in tasks { if let result { body = result } }
                #expect(body == "200 done")
            }
            #expect(capture.lines.withLockedValue { $0 }.contains { $0.contains("database closed") })
            #expect(await environment.database.isReachable() == false)
        }
    }
}

/// A minimal HTTP/1.1 GET over a socket, so the test needs no HTTP client library.
enum HTTP {
    static func get(_ url: URL) async throws -> String {
        try await Task.detached {
            let handle = try Socket.connect(host: url.host!, port: url.port!)
            defer { close(handle) }
            let request = "GET \(url.path) HTTP/1.1\r\nHost: \(url.host!)\r\nConnection: close\r\n\r\n"
            _ = request.withCString { write(handle, $0, strlen($0)) }
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(handle, &buffer, buffer.count)
                if count <= 0 { break }
                data.append(contentsOf: buffer[0..<count])
            }
            let text = String(decoding: data, as: UTF8.self)
            let status = text.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
            let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            return "\(status) \(body)"
        }.value
    }
}

enum Socket {
    struct Failure: Error {}

    static func connect(host: String, port: Int) throws -> Int32 {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { throw Failure() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(handle); throw Failure() }
        return handle
    }
}
