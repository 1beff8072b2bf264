import Foundation
import MotCuaCore
import Testing
@testable import MotCuaServer

/// Bodies written by hand come out byte for byte as the API's encoder writes them.
@Suite struct JSONTextTests {
    static let summaries = [
        DossierSummary(code: "000.00.30.H26-261205-0001", procedureCode: "2.001583", status: 4, statusLabel: "Đang xử lý",
                       currentAgency: "000.00.30.H26", responsibleOfficer: "cán-bộ/1", appointment: "2026-12-09T08:00:00+07:00",
                       stepDeadline: "2026-12-08T17:00:00+07:00", version: 3),
        DossierSummary(code: "A\"B\\C", procedureCode: "x\u{0}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f}", status: 1, statusLabel: "",
                       currentAgency: "✅ 🇻🇳", responsibleOfficer: nil, appointment: nil, stepDeadline: nil, version: -1),
    ]

    @Test(arguments: [
        Page(items: summaries, nextCursor: "MjA…|x"),
        Page(items: [summaries[1]], nextCursor: nil),
        Page(items: [], nextCursor: nil),
    ])
    func aPageOfSummariesIsWrittenAsTheEncoderWritesIt(page: Page<DossierSummary>) throws {
        var json = JSONText()
        page.write(to: &json)
        #expect(json.text == String(decoding: try JSONCoding.encoder.encode(page), as: UTF8.self))
    }

    /// The response takes the hand-written way for such a body.
    @Test func theResponseUsesTheHandWrittenForm() {
        let page = Page(items: Self.summaries, nextCursor: nil)
        #expect((page as Any) is any JSONTextWritable)
        #expect(!((Page(items: [1, 2], nextCursor: nil) as Any) is any JSONTextWritable))
    }
}
