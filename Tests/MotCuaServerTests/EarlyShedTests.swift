import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Shedding at the connection, against a real listening server: a full server refuses a request
/// from its head (the router never sees it), drops its body and keeps the connection, and never
/// answers a pipelined request before the one ahead of it.
@Suite struct EarlyShedTests {
    @Test func aFullServerRefusesAtTheConnectionAndLosesNothing() async throws {
        try await DossierApp.run(.sqlite, testing: .live) { app in
            let gate = app.environment.admission
            for _ in 0..<gate.limit { #expect(gate.enter()) }
            let shed = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "early-1")
            #expect(shed.status == .serviceUnavailable && shed.headers[.retryAfter] == "1", "\(shed.text)")
            #expect(shed.body["code"] as? String == "server.overloaded" && shed.body["title"] as? String == "Hệ thống đang quá tải")
            #expect(shed.headers[.contentType] == "application/problem+json; charset=utf-8")
            #expect(shed.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            let page = try await app.client.execute(uri: "/", method: .get, headers: [.accept: "text/html"]) { response in
                (response.status, response.headers[.contentType] ?? "", String(buffer: response.body))
            }
            #expect(page.0 == .serviceUnavailable && page.1.hasPrefix("text/html") && page.2.contains("Hệ thống đang quá tải"))
            #expect(gate.shedAtConnection == 2 && gate.shed == 2)
            // The probes pass, and /metrics says where the refusals happened.
            let metrics = try await app.client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("motcua_requests_shed_total{at=\"connection\"} 2"))
            #expect(metrics.contains("motcua_requests_shed_total{at=\"router\"} 0"))
            let stored = try await Self.dossierCount(app)
            #expect(stored == 0)
            // Places free: the retry with the same key is admitted and creates the dossier once.
            for _ in 0..<gate.limit { gate.leave() }
            let retried = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "early-1")
            #expect(retried.status == .created, "\(retried.text)")
            #expect(gate.shedAtConnection == 2 && gate.current == 0)
        }
    }

    @Test func aRefusedBodyIsDroppedAndPipelinedAnswersKeepTheirOrder() async throws {
        try await DossierApp.run(.sqlite, testing: .live) { app in
            let gate = app.environment.admission
            let port = try #require(app.client.port)
            for _ in 0..<gate.limit { #expect(gate.enter()) }
            let body = DossierApp.companyApplication
            let post = "POST /api/v1/dossiers HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(app.tokens["citizen"]!)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let health = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
            // Refused with a body, then a probe on the same connection: the body was skipped, not
            // read as the next request, and the connection stayed open.
            let first = try await RawHTTP.exchange(port: port, send: post + health, answers: 2)
            #expect(first.map(\.status) == [503, 200] && first[1].body == "ok\n", "\(first)")
            #expect(gate.shedAtConnection == 1)
            // A request behind one still being answered goes on to the router, which refuses it
            // in its turn: the probe's answer comes first.
            let second = try await RawHTTP.exchange(port: port, send: health + post, answers: 2)
            #expect(second.map(\.status) == [200, 503], "\(second)")
            #expect(gate.shedAtConnection == 1 && gate.shed == 2)
            for _ in 0..<gate.limit { gate.leave() }
            let stored = try await Self.dossierCount(app)
            #expect(stored == 0)
        }
    }

    @Test func aRefusalKeepsHEADBodilessAndHonoursConnectionClose() async throws {
        try await DossierApp.run(.sqlite, testing: .live) { app in
            let gate = app.environment.admission
            let port = try #require(app.client.port)
            for _ in 0..<gate.limit { #expect(gate.enter()) }
            // A HEAD answer carries no body: the probe after it is read as the next answer.
            let head = "HEAD /api/v1/procedures HTTP/1.1\r\nHost: t\r\n\r\n"
            let health = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
            let answers = try await RawHTTP.exchange(port: port, send: head + health, answers: 2, bodiless: [0])
            #expect(answers.map(\.status) == [503, 200] && answers[1].body == "ok\n", "\(answers)")
            // A client that asked to close gets its refusal, then the end of the connection.
            let closing = "GET /api/v1/procedures HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            let last = try await RawHTTP.exchange(port: port, send: closing, answers: 1, thenClosed: true)
            #expect(last.map(\.status) == [503] && last[0].closed, "\(last)")
            #expect(gate.shedAtConnection == 2)
            for _ in 0..<gate.limit { gate.leave() }
        }
    }

    static func dossierCount(_ app: DossierApp) async throws -> Int? {
        try await app.environment.database.withConnection { db in
            try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossiers").first(decodingColumn: "n", as: Int.self)
        }
    }
}

/// Bytes written as they are on one loopback connection, and the answers read back in order
/// (bodies framed by Content-Length, as the server sends them).
enum RawHTTP {
    struct Answer: CustomStringConvertible {
        let status: Int
        let body: String
        /// The server ended the connection after this answer (asked for with `thenClosed`).
        var closed = false
        var description: String { "\(status) \(body.prefix(80))\(closed ? " (closed)" : "")" }
    }

    /// `bodiless`: the indexes of answers to HEAD requests, which carry no body whatever their
    /// Content-Length; `thenClosed`: read on after the last answer to see whether the server closes.
    static func exchange(port: Int, send text: String, answers: Int, bodiless: Set<Int> = [],
                         thenClosed: Bool = false) async throws -> [Answer] {
        // On a thread of its own: a blocking read on one of the few cooperative threads could
        // starve the very server tasks it waits for.
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try blockingExchange(port: port, send: text, answers: answers, bodiless: bodiless, thenClosed: thenClosed)
                })
            }.start()
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private static func blockingExchange(port: Int, send text: String, answers count: Int, bodiless: Set<Int>,
                                         thenClosed: Bool) throws -> [Answer] {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { throw Failure(description: "socket") }
        defer { close(handle) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect") }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Foundation.send(handle, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw Failure(description: "send")
        }
        var pending: [UInt8] = []
        var result: [Answer] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        func fill() throws {
            let read = recv(handle, &buffer, buffer.count, 0)
            guard read > 0 else { throw Failure(description: "connection ended after \(result.count) answers") }
            pending += buffer[0..<read]
        }
        while result.count < count {
            var end = pending.firstRange(of: [13, 10, 13, 10])
            while end == nil { try fill(); end = pending.firstRange(of: [13, 10, 13, 10]) }
            let head = String(decoding: pending[..<end!.lowerBound], as: UTF8.self).lowercased()
            pending.removeFirst(end!.upperBound)
            let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            let length = bodiless.contains(result.count) ? 0 : head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            while pending.count < length { try fill() }
            result.append(Answer(status: status, body: String(decoding: pending[..<length], as: UTF8.self)))
            pending.removeFirst(length)
        }
        if thenClosed, !result.isEmpty {
            result[result.count - 1].closed = pending.isEmpty && recv(handle, &buffer, buffer.count, 0) == 0
        }
        return result
    }
}
