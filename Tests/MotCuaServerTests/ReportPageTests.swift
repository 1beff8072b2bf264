import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaServer

/// The report pages: a table whose counts link to their dossiers, SVG charts with titles, the
/// exports and the index; nothing for citizens.
@Suite struct ReportPageTests {
    @Test func reportDrillDownChartsExportAndIndex() async throws {
        try await DossierApp.run(.sqlite) { app in
            var codes: [String] = []
            for _ in 0..<2 {
                let created = try await app.call(.post, "/api/v1/dossiers", as: "intake", json: ReportAPITests.counter)
                codes.append(try #require(created.body["code"] as? String, "\(created.text)"))
            }
            let leader = try await PageTests.session(app, "centreLeader")
            let page = try await PageTests.get(app, "/bao-cao", cookie: leader)
            #expect(page.status == .ok, "\(page.html.prefix(300))")
            #expect(page.html.contains("Tiếp nhận trong kỳ") && page.html.contains("Tổng cộng"))
            // The count of received dossiers links to their list, scoped to the row's agency.
            let link = try #require(page.html.range(of: #"/bao-cao/ho-so\?[^"]*figure=received[^"]*"#, options: .regularExpression)
                .map { String(page.html[$0]) })
            #expect(link.contains("agency=\(People.centre)"))
            // Charts are inline SVG with a title and a description for screen readers.
            #expect(page.html.contains(#"<svg xmlns="http://www.w3.org/2000/svg" role="img""#))
            #expect(page.html.contains(#"<title id="trend-title">Xu hướng 12 tháng</title>"#))
            #expect(page.html.contains(#"aria-labelledby="trend-title trend-desc""#))
            #expect(!page.html.contains("style="))   // the CSP allows no inline style

            let list = try await PageTests.get(app, link.replacingOccurrences(of: "&amp;", with: "&"), cookie: leader)
            #expect(list.status == .ok)
            for code in codes { #expect(list.html.contains(#"href="/ho-so/\#(code)""#)) }
            #expect(!list.html.contains("Trần Thị Bình"))

            let csv = try await PageTests.get(app, "/bao-cao/tai-ve?format=csv&by=agency", cookie: leader)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.contains("Trung tâm Phục vụ hành chính công Thành phố Hà Nội (\(People.centre)),0,2,"))

            let index = try await PageTests.get(app, "/bao-cao/chi-so", cookie: leader)
            #expect(index.status == .ok && index.html.contains("Tiến độ giải quyết") && index.html.contains("/ 100"))

            // Citizens have no reports; a bad period is explained on a page.
            let citizen = try await PageTests.session(app, "citizen")
            #expect(try await PageTests.get(app, "/bao-cao", cookie: citizen).status == .forbidden)
            let bad = try await PageTests.get(app, "/bao-cao?period=2026-13", cookie: leader)
            #expect(bad.status == .badRequest && bad.html.contains("period"))
            #expect(try await PageTests.get(app, "/bao-cao").status != .ok)
        }
    }
}
