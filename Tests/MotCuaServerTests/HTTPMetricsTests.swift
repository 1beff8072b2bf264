import Testing
@testable import MotCuaServer

/// Counters and histograms are made once per label set and keep counting.
@Suite struct HTTPMetricsTests {
    @Test func eachLabelSetCountsItsOwnRequests() {
        let metrics = HTTPMetrics()
        for _ in 0..<3 { metrics.record(route: "/api/v1/dossiers", method: "POST", status: 201, duration: .milliseconds(7)) }
        metrics.record(route: "/api/v1/dossiers", method: "POST", status: 422, duration: .milliseconds(30))
        let text = metrics.exposition()
        #expect(text.contains(#"motcua_http_requests_total{route="/api/v1/dossiers",method="POST",status="201"} 3"#))
        #expect(text.contains(#"motcua_http_requests_total{route="/api/v1/dossiers",method="POST",status="422"} 1"#))
        #expect(text.contains(#"motcua_http_request_duration_seconds_count{route="/api/v1/dossiers",method="POST",status="201"} 3"#))
        #expect(text.contains(#"motcua_http_request_duration_seconds_bucket{route="/api/v1/dossiers",method="POST",status="422",le="0.025"} 0"#))
        #expect(text.contains(#"motcua_http_request_duration_seconds_bucket{route="/api/v1/dossiers",method="POST",status="422",le="0.05"} 1"#))
    }
}
