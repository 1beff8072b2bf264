import Prometheus
import Synchronization

/// Request counts and latencies by route, method and status, in a registry owned by the
/// application (not a process-wide bootstrap), so each server and each test has its own.
public final class HTTPMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    public init() {}

    // Computed: the descriptor type is not `Sendable`. Asked for only when a label set is new.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "motcua", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered")
    }
    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "motcua", metricName: "http_request_duration", unitName: "seconds",
                             helpText: "Time to produce the response")
    }

    private struct Labels: Hashable {
        let route: String, method: String, status: Int
    }

    /// Each label set's counter and histogram, once made: asking the registry for them each
    /// time built their names and looked them up under its lock, for every request.
    private let instruments = Mutex<[Labels: (Counter, DurationHistogram)]>([:])

    func record(route: String, method: String, status: Int, duration: Duration) {
        let key = Labels(route: route, method: method, status: status)
        let (counter, histogram) = instruments.withLock { made in
            if let found = made[key] { return found }
            let labels = [("route", route), ("method", method), ("status", String(status))]
            let new = (registry.makeCounter(descriptor: Self.requests, labels: labels),
                       registry.makeDurationHistogram(descriptor: Self.durations, labels: labels, buckets: Self.buckets))
            made[key] = new
            return new
        }
        counter.increment()
        histogram.record(duration)
    }

    /// The Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        registry.emitToString()
    }
}
