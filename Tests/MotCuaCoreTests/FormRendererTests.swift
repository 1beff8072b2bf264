import Foundation
import Testing
@testable import MotCuaCore

/// Forms drawn from the history: escaped, in Vietnamese, issued only once their command happened.
@Suite struct FormRendererTests {
    static let officer = DossierActor(id: "o-1", role: .intakeOfficer)
    static let specialist = DossierActor(id: "s-1", role: .processingOfficer)

    static func at(_ d: Int, _ h: Int, _ m: Int = 0) -> Date {
        WorkingCalendar.instant(CivilDate(year: 2026, month: 12, day: d)!, Double(h * 3600 + m * 60))
    }

    static func input(_ events: [DossierEvent]) -> FormInput {
        var state = DossierState(channel: .counter, processVersion: 1, submittedAt: at(1, 8))
        state.appointment = at(4, 8)
        state.originalAppointment = at(4, 8)
        state.fees = [FeeLine(name: "Lệ phí", item: "Cấp mới", amountVnd: 1_250_000)]
        return FormInput(code: "X-261201-0001", procedureName: "Thủ tục <b>thử</b>",
                         applicant: Applicant(fullName: "<script>alert(1)</script>", citizenId: "001190012345"),
                         state: state, events: events, documents: ["Tờ khai & bản sao"],
                         agencyNames: ["A": "Trung tâm A", "B": "Sở B"], actorNames: ["o-1": "Cán bộ Một", "s-1": "Chuyên viên Hai"],
                         receivingAgency: "A")
    }

    static func event(_ command: String, _ actor: DossierActor, _ at: Date, _ to: DossierStatus, reason: String? = nil,
                      data: [String: String] = [:]) -> DossierEvent {
        DossierEvent(command: command, actor: actor, at: at, fromStatus: nil, toStatus: to, reason: reason, data: data)
    }

    @Test func receiptIsEscapedAndComplete() throws {
        let html = try FormRenderer.render(.receipt, Self.input([
            Self.event("submit", Self.officer, Self.at(1, 8), .submitted),
            Self.event("accept", Self.officer, Self.at(1, 8, 5), .accepted, data: ["appointment": WorkingCalendar.iso8601(Self.at(4, 8))]),
        ]))
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Thủ tục &lt;b&gt;thử&lt;/b&gt;") && html.contains("Tờ khai &amp; bản sao"))
        #expect(html.contains("Mẫu số 01") && html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && html.contains("TRUNG TÂM A"))
        #expect(html.contains("08 giờ 05 phút, ngày 01/12/2026") && html.contains("08 giờ 00 phút, ngày 04/12/2026"))
        #expect(html.contains("1.250.000 đồng") && html.contains("Cán bộ Một") && html.contains(#"lang="vi""#))
    }

    /// A scalar that joins the next character into one grapheme ("prepend", combining marks) must
    /// not carry a raw `<` past the escaping.
    @Test func escapingWorksOnScalarsNotGraphemes() {
        let hostile = "\u{0600}<img src=x onerror=alert(1)>a\u{0301}<b>"
        let escaped = FormRenderer.escape(hostile)
        #expect(!escaped.unicodeScalars.contains("<") && !escaped.unicodeScalars.contains(">"))
        #expect(escaped == "\u{0600}&lt;img src=x onerror=alert(1)&gt;a\u{0301}&lt;b&gt;")
    }

    @Test func aFormIsIssuedOnlyByItsCommand() {
        #expect(throws: FormRenderer.Failure.notIssued(.refusal)) {
            try FormRenderer.render(.refusal, Self.input([Self.event("submit", Self.officer, Self.at(1, 8), .submitted)]))
        }
    }

    @Test func controlSlipJudgesEachStepAgainstItsDeadline() throws {
        let html = try FormRenderer.render(.controlSlip, Self.input([
            Self.event("submit", Self.officer, Self.at(1, 8), .submitted),
            Self.event("accept", Self.officer, Self.at(1, 8), .accepted, data: ["stepDeadline": WorkingCalendar.iso8601(Self.at(1, 9))]),
            // Done the same day before its deadline: on time.
            Self.event("forward", Self.officer, Self.at(1, 8, 30), .processing,
                       data: ["agency": "B", "stepDeadline": WorkingCalendar.iso8601(Self.at(2, 10))]),
            // Done after its deadline: late.
            Self.event("forward", Self.specialist, Self.at(2, 15), .processing,
                       data: ["agency": "A", "stepDeadline": WorkingCalendar.iso8601(Self.at(4, 10))]),
            // Done on an earlier day than its deadline: early.
            Self.event("approve", Self.officer, Self.at(3, 9), .processing),
        ]))
        #expect(html.contains("Đúng hạn") && html.contains("Quá hạn") && html.contains("Trước hạn"))
        #expect(html.contains("Sở B") && html.contains("Chuyên viên Hai (chuyên viên xử lý)"))
        // Five lines about the dossier, then one per event.
        #expect(html.components(separatedBy: "<tr><td>").count - 1 == 5 + 5)
    }
}
