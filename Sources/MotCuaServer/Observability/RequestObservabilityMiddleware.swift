import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MotCuaCore

/// Gives every request an id (kept from a sane incoming `X-Request-Id`, otherwise new), puts it on
/// every log line of the request and on the response, and writes one line per request with the
/// route pattern (never the concrete path or query, which may carry personal data), status and duration.
struct RequestObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDField: HTTPField.Name { HTTPField.Name("X-Request-Id")! }
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.requestID(from: request.headers[Self.requestIDField])
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        context.logger[metadataKey: "hb.request.id"] = nil
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error_type": "\(type(of: error))"])
            response = Response(status: .internalServerError)
        }
        response.headers[Self.requestIDField] = id
        let route = context.endpointPath ?? "unmatched"
        let duration = ContinuousClock.now - started
        metrics.record(route: route, method: request.method.rawValue, status: Int(response.status.code), duration: duration)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: "%.2f", Double(duration.components.attoseconds) / 1e15
                + Double(duration.components.seconds) * 1000)),
        ])
        return response
    }

    /// An incoming id is kept only if it is short and plain, so it cannot smuggle data into the logs.
    static func requestID(from incoming: String?) -> String {
        if let incoming, (8...64).contains(incoming.count),
           incoming.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            return incoming
        }
        return RequestID.next()
    }
}
