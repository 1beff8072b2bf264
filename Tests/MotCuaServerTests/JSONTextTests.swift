import Foundation
import MotCuaCore
import MotCuaStore
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

/// A dossier's body, written by hand, is byte for byte what the encoder writes, at every point
/// of a life that fills each of its fields.
@Suite struct DossierBodyJSONTests {
    @Test func aDossierBodyIsWrittenAsTheEncoderWritesItThroughoutItsLife() async throws {
        try await DossierApp.run(.sqlite) { app in
            let service = app.environment.dossiers
            func viewer(_ name: String) -> Viewer { app.accounts[name]!.viewer }
            func check(_ dossier: StoredDossier, _ step: String) async throws {
                let body = DossierBody(dossier, process: try await service.process(of: dossier), service: service)
                var json = JSONText()
                body.write(to: &json)
                #expect(json.text == String(decoding: try JSONCoding.encoder.encode(body), as: UTF8.self), "\(step)")
            }
            let organisation = Applicant(kind: .organisation, fullName: "Trần \"Thị\" Bình", citizenId: "001190012345",
                                         phone: "0912345678", email: "binh@vi-du.vn", address: "Số 1, phố Tràng Tiền\nHoàn Kiếm",
                                         organisationName: "Công ty TNHH Một Cửa", taxCode: "0101234567")
            var dossier = try await service.submit(procedureCode: "2.001583", channel: .online, receivingAgency: People.centre,
                                                   applicant: organisation, by: viewer("citizen"))
            try await check(dossier, "submitted")
            let steps: [(@Sendable (StoredDossier) -> DossierCommand, String)] = [
                ({ _ in .accept }, "intake"),
                ({ _ in .requestSupplement(missing: ["Điều lệ công ty", "Bản sao \\ CCCD"], reason: "Thiếu") }, "intake"),
                ({ _ in .receiveSupplement }, "citizen"),
                ({ _ in .forward(note: "Chuyển Sở") }, "intake"),
                ({ d in .apologise(reason: "Chờ xác minh", newAppointment: d.state.appointment!.addingTimeInterval(7 * 86_400)) }, "specialist"),
                ({ _ in .forward(note: nil) }, "specialist"),
                ({ _ in .forward(note: nil) }, "financeLeader"),
                ({ _ in .approve }, "centreLeader"),
                ({ _ in .markResultReady }, "intake"),
                ({ _ in .returnResult }, "intake"),
                ({ _ in .rate(Rating(level: .verySatisfied, comment: "Nhanh, \"tốt\"")) }, "citizen"),
            ]
            for (command, who) in steps {
                let given = command(dossier)
                dossier = try await service.act(given, on: dossier.code, expectedVersion: dossier.version, by: viewer(who))
                try await check(dossier, "\(given)")
            }
            #expect(dossier.state.rating != nil && dossier.state.apologies == 1 && dossier.state.originalAppointment != nil)
        }
    }
}
