import Hummingbird

/// Liveness, readiness and metrics: for load balancers and Prometheus, never personal data.
struct HealthRoutes {
    let environment: AppEnvironment

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            Self.text("ok\n")
        }
        router.get("readyz") { _, _ in
            let reachable = await environment.database.isReachable()
            return Self.text(reachable ? "ready\n" : "database unreachable\n", status: reachable ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Self.text(environment.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
