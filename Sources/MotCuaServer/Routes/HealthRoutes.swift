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
            Self.text(environment.metrics.exposition() + Self.admission(environment.admission),
                      contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    /// The gate's own figures, read when scraped rather than counted twice.
    static func admission(_ gate: AdmissionGate) -> String {
        let shed = gate.shedByPlace
        return """
            # HELP motcua_requests_shed_total Requests answered 503 because every place was taken, by where they were refused.
            # TYPE motcua_requests_shed_total counter
            motcua_requests_shed_total{at="connection"} \(shed.connection)
            motcua_requests_shed_total{at="router"} \(shed.router)
            # HELP motcua_requests_in_flight Requests being worked on now.
            # TYPE motcua_requests_in_flight gauge
            motcua_requests_in_flight \(gate.current)

            """
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
