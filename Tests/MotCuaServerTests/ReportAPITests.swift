import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaTestSupport
import Testing
import ZIPFoundation
@testable import MotCuaCore
@testable import MotCuaServer
import MotCuaStore

/// Reports over HTTP: the JSON figures, the drill-down, the index, and CSV and XLSX files that
/// show the same numbers, on both databases.
@Suite struct ReportAPITests {
    static let counter = DossierApp.companyApplication.replacingOccurrences(of: #""channel":"online""#, with: #""channel":"counter""#)
        .replacingOccurrences(of: "}}", with: #"},"acceptNow":true}"#)

    @Test(arguments: TestDatabases.kinds)
    func figuresDrillDownAndExportsAgree(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            // Three received at the counter, one online not yet accepted, one of the three withdrawn.
            var codes: [String] = []
            for _ in 0..<3 {
                let created = try await app.call(.post, "/api/v1/dossiers", as: "intake", json: Self.counter)
                codes.append(try #require(created.body["code"] as? String, "\(created.text)"))
            }
            _ = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "k-1")
            let withdrawn = try await app.call(.post, "/api/v1/dossiers/\(codes[0])/withdraw", as: "intake", json: #"{"reason":"Công dân rút"}"#,
                                               version: 2)
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")

            let report = try await app.call(.get, "/api/v1/reports?agency=\(People.centre)&by=procedure", as: "centreLeader")
            #expect(report.status == .ok, "\(report.text)")
            let total = try #require(report.body["total"] as? [String: Any])
            let counts = try #require(total["counts"] as? [String: Int])
            #expect(counts["received"] == 3 && counts["withdrawn"] == 1 && counts["carried_over"] == 0)
            let rows = try #require(report.body["rows"] as? [[String: Any]])
            #expect(rows.map { $0["key"] as? String } == ["2.001583"])
            #expect(rows.first?["name"] as? String == "Đăng ký thành lập công ty TNHH một thành viên")

            // "received: 3" lists those three, a page at a time.
            let first = try await app.call(.get, "/api/v1/reports/dossiers?agency=\(People.centre)&figure=received&limit=2", as: "centreLeader")
            let firstItems = try #require(first.body["items"] as? [[String: Any]])
            let cursor = try #require(first.body["nextCursor"] as? String)
            let second = try await app.call(.get, "/api/v1/reports/dossiers?agency=\(People.centre)&figure=received&limit=2&cursor=\(cursor)",
                                            as: "centreLeader")
            let listed = (firstItems + (second.body["items"] as? [[String: Any]] ?? [])).compactMap { $0["code"] as? String }
            #expect(listed == codes.sorted())
            #expect(!first.text.contains("Trần Thị Bình") && !first.text.contains("001190012345"))

            // The CSV: a byte-order mark, Vietnamese headers, and the same total.
            let csv = try await app.call(.get, "/api/v1/reports/export?agency=\(People.centre)&format=csv", as: "centreLeader")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"bao-cao-") == true)
            #expect(csv.text.hasPrefix("\u{FEFF}Phạm vi,Kỳ trước chuyển qua,Tiếp nhận trong kỳ,"))
            let totalLine = try #require(csv.text.split(separator: "\r\n").last)
            #expect(totalLine.hasPrefix("Tổng cộng,0,3,"))

            // The XLSX: a workbook whose sheet holds the same headers and numbers.
            let xlsx = try await app.client.execute(uri: "/api/v1/reports/export?agency=\(People.centre)&format=xlsx&by=procedure", method: .get,
                                                    headers: [.authorization: "Bearer \(app.tokens["centreLeader"]!)"]) { Data(buffer: $0.body) }
            let archive = try Archive(data: xlsx, accessMode: .read)
            #expect(archive["xl/workbook.xml"] != nil && archive["[Content_Types].xml"] != nil)
            var sheet = Data()
            _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.contains("<t>Tiếp nhận trong kỳ</t>") && xml.contains("<t>Tổng cộng</t>"))
            #expect(xml.contains(#"<c r="C3"><v>3</v></c>"#))   // received, in the total row under the procedure row

            // The index scores the centre's procedures and dossiers.
            let index = try await app.call(.get, "/api/v1/reports/service-index?agency=\(People.centre)", as: "centreLeader")
            let indexTotal = try #require(index.body["total"] as? [String: Any])
            #expect(indexTotal["maxPoints"] as? Double == 100)
            #expect((index.body["agencies"] as? [[String: Any]])?.first?["agency"] as? String == People.centre)

            // Bad input names its field; another agency's report is not the reader's.
            let bad = try await app.call(.get, "/api/v1/reports?period=2026-13", as: "centreLeader")
            #expect(bad.status == .unprocessableContent && bad.text.contains("period"))
            let noFigure = try await app.call(.get, "/api/v1/reports/dossiers", as: "centreLeader")
            #expect(noFigure.status == .unprocessableContent && noFigure.text.contains("figure"))
            let halfRange = try await app.call(.get, "/api/v1/reports?from=2026-11-01", as: "centreLeader")
            #expect(halfRange.status == .unprocessableContent && halfRange.text.contains("\"to\""))
            #expect(try await app.call(.get, "/api/v1/reports?agency=\(People.centre)", as: "specialist").status == .forbidden)
            #expect(try await app.call(.get, "/api/v1/reports", as: "citizen").status == .forbidden)
            // The Department of Finance's leader sees none of the centre's dossiers in their own report.
            let finance = try await app.call(.get, "/api/v1/reports", as: "financeLeader")
            #expect((finance.body["total"] as? [String: Any]).flatMap { $0["counts"] as? [String: Int] }?["received"] == 0)
        }
    }
}
