import Foundation
import HTTPTypes
import Hummingbird

/// Bounds the requests being worked on at once. Past the bound a request is answered at once with
/// 503 and `Retry-After` instead of queueing: in a surge (an enrolment opening) the requests
/// admitted still finish in time, where an unbounded queue would make every caller time out
/// and the work done for them would be wasted.
public final class AdmissionGate: @unchecked Sendable {
    public let limit: Int
    private let lock = NSLock()
    private var inFlight = 0
    private var shedCount = 0
    private var shedAtConnectionCount = 0

    public init(limit: Int) { self.limit = limit }

    /// Takes a place if one is free.
    public func enter() -> Bool {
        lock.withLock {
            guard inFlight < limit else {
                shedCount += 1
                return false
            }
            inFlight += 1
            return true
        }
    }

    public func leave() { lock.withLock { inFlight -= 1 } }

    /// The connection's early look: true (and counted as shed) when every place is taken. Takes
    /// no place; a request that passes still has to `enter()` in the router.
    func refuseIfFull() -> Bool {
        lock.withLock {
            guard inFlight >= limit else { return false }
            shedCount += 1
            shedAtConnectionCount += 1
            return true
        }
    }

    public var current: Int { lock.withLock { inFlight } }
    /// Requests turned away since start.
    public var shed: Int { lock.withLock { shedCount } }
    /// Of those, the ones refused by the connection before they reached the router.
    public var shedAtConnection: Int { shedByPlace.connection }
    /// Both counts read at one instant, so that a scrape adds up.
    var shedByPlace: (connection: Int, router: Int) {
        lock.withLock { (shedAtConnectionCount, shedCount - shedAtConnectionCount) }
    }
}

/// The answer to a request turned away, prepared once: the router and the connection send the
/// same bytes. Pages get a short page, the API a problem document.
enum AdmissionRefusal {
    static let retryAfterSeconds = 1
    /// The health and metrics probes must answer when the server is busiest.
    static let exempt: Set<String> = ["/healthz", "/readyz", "/metrics"]

    static func isExempt(path: String) -> Bool {
        guard let query = path.firstIndex(of: "?") else { return exempt.contains(path) }
        return exempt.contains(String(path[..<query]))
    }

    static func wantsPage(path: String, accept: String?) -> Bool {
        !path.hasPrefix("/api/") && (accept ?? "").contains("text/html")
    }

    static let problem: (contentType: String, body: ByteBuffer) = (Problem.contentType, try! Problem(
        .serviceUnavailable, code: "server.overloaded", title: "Hệ thống đang quá tải",
        detail: "Yêu cầu chưa được thực hiện. Xin thử lại sau \(retryAfterSeconds) giây.").encoded())

    static let page: (contentType: String, body: ByteBuffer) = ("text/html; charset=utf-8", ByteBuffer(string: """
        <!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hệ thống đang quá tải</title></head>
        <body><h1>Hệ thống đang quá tải</h1><p>Yêu cầu của ông/bà chưa được thực hiện. Xin thử lại sau ít giây.</p></body></html>
        """))

    /// Status line fields and body for a refusal.
    static func answer(path: String, accept: String?) -> (headers: HTTPFields, body: ByteBuffer) {
        let prepared = wantsPage(path: path, accept: accept) ? page : problem
        return ([.contentType: prepared.contentType, .retryAfter: "\(retryAfterSeconds)"], prepared.body)
    }
}

/// Applies the gate in the router. The connection usually refuses first (`EarlyShedHandler`);
/// this is where a place is really taken, and the refusal for requests that reach the router
/// while the gate is full (a pipelined request, or the router driven without a connection).
struct AdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: AdmissionGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if AdmissionRefusal.isExempt(path: request.uri.path) { return try await next(request, context) }
        guard gate.enter() else {
            let answer = AdmissionRefusal.answer(path: request.uri.path, accept: request.headers[.accept])
            return Response(status: .serviceUnavailable, headers: answer.headers, body: .init(byteBuffer: answer.body))
        }
        defer { gate.leave() }
        return try await next(request, context)
    }
}
