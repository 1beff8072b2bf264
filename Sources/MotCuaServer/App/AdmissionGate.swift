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

    public var current: Int { lock.withLock { inFlight } }
    /// Requests turned away since start.
    public var shed: Int { lock.withLock { shedCount } }
}

/// Applies the gate to everything but the health and metrics probes, which must answer when the
/// server is busiest. Pages get a short page, the API a problem document.
struct AdmissionMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: AdmissionGate
    static var retryAfterSeconds: Int { 1 }
    static var exempt: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.exempt.contains(request.uri.path) { return try await next(request, context) }
        guard gate.enter() else { return try Self.overloaded(request, context: context) }
        defer { gate.leave() }
        return try await next(request, context)
    }

    static func overloaded(_ request: Request, context: Context) throws -> Response {
        let wantsPage = !request.uri.path.hasPrefix("/api/") && (request.headers[.accept] ?? "").contains("text/html")
        guard wantsPage else {
            var problem = Problem(.serviceUnavailable, code: "server.overloaded", title: "Hệ thống đang quá tải",
                                  detail: "Yêu cầu chưa được thực hiện. Xin thử lại sau \(retryAfterSeconds) giây.")
            problem.headers[.retryAfter] = "\(retryAfterSeconds)"
            return try problem.response(from: request, context: context)
        }
        let html = """
            <!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hệ thống đang quá tải</title></head>
            <body><h1>Hệ thống đang quá tải</h1><p>Yêu cầu của ông/bà chưa được thực hiện. Xin thử lại sau ít giây.</p></body></html>
            """
        return Response(status: .serviceUnavailable,
                        headers: [.contentType: "text/html; charset=utf-8", .retryAfter: "\(retryAfterSeconds)"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
