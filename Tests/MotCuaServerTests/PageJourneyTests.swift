import Foundation
import HTTPTypes
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import NIOCore
import SQLKit
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// The whole journey through the pages' forms, without a browser: a citizen applies online, the
/// centre accepts and asks for a supplement, the citizen confirms it, the dossier goes to the
/// Department of Finance and back, is approved and returned, and the citizen rates it.
@Suite struct PageJourneyTests {
    static func act(_ app: DossierApp, _ code: String, _ verb: String, as who: String, version: Int, _ fields: String = "") async throws
        -> PageTests.Page {
        let cookie = try await PageTests.session(app, who)
        return try await PageTests.post(app, "/ho-so/\(code)/\(verb)", "csrf=csrf-test-token&version=\(version)\(fields)", cookie: cookie)
    }

    @Test(arguments: TestDatabases.kinds)
    func applyProcessReturnAndRate(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            let citizen = try await PageTests.session(app, "citizen")
            // The form is filled in from the account.
            let form = try await PageTests.get(app, "/thu-tuc/2.001583/nop-ho-so", cookie: citizen)
            #expect(form.status == .ok && form.html.contains(#"value="001190012345""#) && form.html.contains("Trung tâm Phục vụ hành chính công"))
            let fields = "csrf=csrf-test-token&key=form-1&receivingAgency=000.00.30.H26&fullName=Tr%E1%BA%A7n+Th%E1%BB%8B+B%C3%ACnh"
                + "&citizenId=001190012345&phone=0912345678&fee_0=0"
            let applied = try await PageTests.post(app, "/thu-tuc/2.001583/nop-ho-so", fields, cookie: citizen)
            #expect(applied.status == .seeOther, "\(applied.html)")
            let location = try #require(applied.headers[.location])
            let code = String(location.dropFirst("/ho-so/".count))
            // The same form sent twice creates one dossier.
            let again = try await PageTests.post(app, "/thu-tuc/2.001583/nop-ho-so", fields, cookie: citizen)
            #expect(again.headers[.location] == location)
            let count = try await app.environment.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dossiers").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 1)
            // Invalid details come back next to their field.
            let bad = try await PageTests.post(app, "/thu-tuc/2.001583/nop-ho-so",
                                               fields.replacingOccurrences(of: "key=form-1", with: "key=form-2")
                                                   .replacingOccurrences(of: "001190012345", with: "001"), cookie: citizen)
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"id="citizenId-error""#))
            // The first form, sent again after an edit that makes it invalid, still leads to its dossier.
            let edited = try await PageTests.post(app, "/thu-tuc/2.001583/nop-ho-so",
                                                  fields.replacingOccurrences(of: "001190012345", with: "001"), cookie: citizen)
            #expect(edited.status == .seeOther && edited.headers[.location] == location)

            // The citizen's page offers the upload and withdrawal; the officer's offers acceptance.
            let mine = try await PageTests.get(app, location, cookie: citizen)
            #expect(mine.html.contains(#"id="upload""#) && mine.html.contains("Rút hồ sơ") && !mine.html.contains("Tiếp nhận hồ sơ"))
            let officerView = try await PageTests.get(app, location, cookie: try await PageTests.session(app, "intake"))
            #expect(officerView.html.contains("Tiếp nhận hồ sơ") && officerView.html.contains("Từ chối tiếp nhận"))

            // A forged form is refused; a stale one says so and leads back to the dossier.
            let forged = try await PageTests.post(app, "/ho-so/\(code)/accept", "version=1",
                                                  cookie: try await PageTests.session(app, "intake"))
            #expect(forged.status == .forbidden)
            var step = try await Self.act(app, code, "accept", as: "intake", version: 1)
            #expect(step.status == .seeOther && step.headers[.location] == "/ho-so/\(code)?done=accept")
            let stale = try await Self.act(app, code, "accept", as: "intake", version: 1)
            #expect(stale.status == .conflict && stale.html.contains(#"href="/ho-so/\#(code)""#))
            step = try await Self.act(app, code, "request-supplement", as: "intake", version: 2,
                                      "&missing=%C4%90i%E1%BB%81u+l%E1%BB%87+c%C3%B4ng+ty&reason=Thi%E1%BA%BFu")
            #expect(step.status == .seeOther)
            let asked = try await PageTests.get(app, location, cookie: citizen)
            #expect(asked.html.contains("Điều lệ công ty") && asked.html.contains("Xác nhận đã bổ sung đủ"))
            #expect(try await Self.act(app, code, "receive-supplement", as: "citizen", version: 3).status == .seeOther)
            #expect(try await Self.act(app, code, "forward", as: "intake", version: 4, "&note=").status == .seeOther)
            #expect(try await Self.act(app, code, "forward", as: "specialist", version: 5).status == .seeOther)
            #expect(try await Self.act(app, code, "forward", as: "financeLeader", version: 6).status == .seeOther)
            #expect(try await Self.act(app, code, "approve", as: "centreLeader", version: 7).status == .seeOther)
            #expect(try await Self.act(app, code, "mark-result-ready", as: "intake", version: 8).status == .seeOther)
            #expect(try await Self.act(app, code, "return-result", as: "intake", version: 9).status == .seeOther)
            let returned = try await PageTests.get(app, location, cookie: citizen)
            #expect(returned.html.contains("Đã trả kết quả") && returned.html.contains("Đánh giá mức độ hài lòng"))
            #expect(try await Self.act(app, code, "rate", as: "citizen", version: 10,
                                       "&rating=very_satisfied&comment=T%E1%BA%ADn+t%C3%ACnh").status == .seeOther)
            let rated = try await PageTests.get(app, location, cookie: citizen)
            #expect(rated.html.contains("Rất hài lòng: Tận tình") && !rated.html.contains(#"action="/ho-so/\#(code)/rate""#))
        }
    }
}
