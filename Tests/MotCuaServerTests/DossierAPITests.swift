import Foundation
import HTTPTypes
import MotCuaCore
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// The whole life cycle through the JSON API on both databases: online submission, acceptance
/// with a working-calendar appointment, a supplement, an inter-agency hand-off, an apology,
/// approval and return; the history, the outbox and public tracking.
@Suite struct DossierAPITests {
    static func instant(_ text: Any?) throws -> Date {
        let string = try #require(text as? String)
        return try #require(parseInstant(string))
    }

    @Test(arguments: TestDatabases.kinds)
    func fullLifecycle(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            // Submitted online; the same retry returns the first result.
            let created = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "k-001")
            #expect(created.status == .created, "\(created.text)")
            let code = try #require(created.body["code"] as? String)
            #expect(created.headers[.location] == "/api/v1/dossiers/\(code)")
            #expect(created.body["status"] as? Int == 1 && created.body["feesDueVnd"] as? Int == 100_000)
            let retried = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication, key: "k-001")
            #expect(retried.status == .created && retried.text == created.text)

            // The citizen lists it; another citizen cannot see it.
            let mine = try await app.call(.get, "/api/v1/dossiers", as: "citizen")
            #expect((mine.body["items"] as? [[String: Any]])?.map { $0["code"] as? String } == [code])
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)", as: "citizen2").status == .notFound)

            // Accepted at the centre: the appointment is 3 working days on the working calendar.
            let accepted = try await app.call(.post, "/api/v1/dossiers/\(code)/accept", as: "intake", version: 1)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.headers[.eTag] == "\"2\"")
            let acceptedAt = try Self.instant(accepted.body["acceptedAt"])
            let appointment = try Self.instant(accepted.body["appointment"])
            #expect(appointment == DossierApp.calendar.adding(workingHours: 24, to: acceptedAt, applyingCutOff: true))
            #expect((accepted.body["step"] as? [String: Any])?["number"] as? Int == 1)

            // A stale version is refused with the current one.
            let stale = try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "intake", version: 1)
            #expect(stale.status == .conflict && stale.body["code"] as? String == "version.stale" && stale.headers[.eTag] == "\"2\"")
            // Without a version: 428.
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "intake").status == .preconditionRequired)

            // Supplement: the reason is required; the clock stops; the limit (1) holds.
            let noReason = try await app.call(.post, "/api/v1/dossiers/\(code)/request-supplement", as: "intake",
                                              json: #"{"missing":["Điều lệ công ty"]}"#, version: 2)
            #expect(noReason.status == .unprocessableContent && noReason.body["code"] as? String == "dossier.reason_required")
            let supplement = try await app.call(.post, "/api/v1/dossiers/\(code)/request-supplement", as: "intake",
                                                json: #"{"missing":["Điều lệ công ty"],"reason":"Thiếu điều lệ"}"#, version: 2)
            #expect(supplement.status == .ok && supplement.body["status"] as? Int == 5 && supplement.body["clockStoppedSince"] != nil)
            let received = try await app.call(.post, "/api/v1/dossiers/\(code)/receive-supplement", as: "citizen", version: 3)
            #expect(received.status == .ok && received.body["status"] as? Int == 2, "\(received.text)")
            #expect(try Self.instant(received.body["appointment"]) >= appointment)
            let again = try await app.call(.post, "/api/v1/dossiers/\(code)/request-supplement", as: "intake",
                                           json: #"{"missing":["Bản sao"],"reason":"Thiếu"}"#, version: 4)
            #expect(again.status == .conflict && again.body["code"] as? String == "dossier.supplement_limit_reached")

            // Hand-off to the Department of Finance; the centre may no longer act, the department may.
            let forwarded = try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "intake", json: #"{"note":"Chuyển Sở"}"#,
                                               version: 4)
            #expect(forwarded.body["currentAgency"] as? String == People.finance && forwarded.body["responsibleOfficer"] == nil)
            let notYours = try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "intake", version: 5)
            #expect(notYours.status == .forbidden && notYours.body["code"] as? String == "auth.forbidden")
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)", as: "intake").status == .ok)
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)", as: "stranger").status == .notFound)
            let inbox = try await app.call(.get, "/api/v1/dossiers", as: "specialist")
            #expect((inbox.body["items"] as? [[String: Any]])?.map { $0["code"] as? String } == [code])

            // An apology moves the appointment once, to a later date.
            let current = try Self.instant(forwarded.body["appointment"])
            let newDate = WorkingCalendar.iso8601(current.addingTimeInterval(3 * 86400))
            let apology = try await app.call(.post, "/api/v1/dossiers/\(code)/apologise", as: "specialist",
                                             json: #"{"reason":"Cần xác minh thêm","newAppointment":"\#(newDate)"}"#, version: 5)
            #expect(apology.status == .ok && apology.body["appointment"] as? String == newDate, "\(apology.text)")
            let secondApology = try await app.call(.post, "/api/v1/dossiers/\(code)/apologise", as: "specialist",
                                                   json: #"{"reason":"Lần nữa","newAppointment":"\#(newDate)"}"#, version: 6)
            #expect(secondApology.status == .conflict && secondApology.body["code"] as? String == "dossier.apology_limit_reached")

            // Through the department's two steps and back to the centre for approval and return.
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "specialist", version: 6).status == .ok)
            let back = try await app.call(.post, "/api/v1/dossiers/\(code)/forward", as: "financeLeader", version: 7)
            #expect(back.body["currentAgency"] as? String == People.centre)
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/approve", as: "intake", version: 8).status == .forbidden)
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/approve", as: "centreLeader", version: 8).status == .ok)
            let ready = try await app.call(.post, "/api/v1/dossiers/\(code)/mark-result-ready", as: "intake", version: 9)
            #expect(ready.body["status"] as? Int == 9 && ready.body["finishedAt"] != nil)
            let returned = try await app.call(.post, "/api/v1/dossiers/\(code)/return-result", as: "intake", version: 10)
            #expect(returned.body["status"] as? Int == 10 && returned.body["timeStatus"] as? String != nil)
            // The applicant rates it, once; an officer cannot.
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/rate", as: "intake", json: #"{"rating":"satisfied"}"#, version: 11)
                .status == .forbidden)
            let rated = try await app.call(.post, "/api/v1/dossiers/\(code)/rate", as: "citizen",
                                           json: #"{"rating":"very_satisfied","comment":"Cán bộ hướng dẫn tận tình"}"#, version: 11)
            #expect(rated.status == .ok && (rated.body["rating"] as? [String: Any])?["level"] as? String == "very_satisfied", "\(rated.text)")
            let twice = try await app.call(.post, "/api/v1/dossiers/\(code)/rate", as: "citizen", json: #"{"rating":"satisfied"}"#, version: 12)
            #expect(twice.status == .conflict && twice.body["code"] as? String == "dossier.already_rated")
            // Nothing more can happen to a returned dossier.
            let late = try await app.call(.post, "/api/v1/dossiers/\(code)/request-supplement", as: "intake",
                                          json: #"{"missing":["x"],"reason":"x"}"#, version: 12)
            #expect(late.status == .conflict && late.body["code"] as? String == "dossier.not_in_status")

            // The history holds every command, in order.
            let events = try await app.call(.get, "/api/v1/dossiers/\(code)/events", as: "citizen")
            #expect((events.body["items"] as? [[String: Any]])?.compactMap { $0["command"] as? String } == [
                "submit", "accept", "request_supplement", "receive_supplement", "forward", "apologise", "forward", "forward",
                "approve", "mark_result_ready", "return_result", "rate",
            ])

            // The forms: the receipt, the supplement request, the apology and the control slip; no refusal or stop notice.
            let receipt = try await app.call(.get, "/api/v1/dossiers/\(code)/forms/01", as: "citizen")
            #expect(receipt.status == .ok && receipt.headers[.contentType] == "text/html; charset=utf-8")
            #expect(receipt.text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && receipt.text.contains(code)
                    && receipt.text.contains("100.000 đồng") && receipt.text.contains("Cán bộ một cửa"))
            let request = try await app.call(.get, "/api/v1/dossiers/\(code)/forms/02", as: "intake")
            #expect(request.text.contains("Điều lệ công ty") && request.text.contains("Thiếu điều lệ"))
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)/forms/04", as: "intake").text.contains("Cần xác minh thêm"))
            let slip = try await app.call(.get, "/api/v1/dossiers/\(code)/forms/06", as: "specialist")
            #expect(slip.text.components(separatedBy: "<tr><td>").count - 1 >= 11 + 4)
            #expect(slip.text.contains("Sở Tài chính Thành phố Hà Nội") && slip.text.contains("Chuyển bước tiếp theo"))
            let refusal = try await app.call(.get, "/api/v1/dossiers/\(code)/forms/03", as: "intake")
            #expect(refusal.status == .conflict && refusal.body["code"] as? String == "form.not_issued")
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)/forms/09", as: "intake").status == .notFound)
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)/forms/01", as: "citizen2").status == .notFound)

            // The applicant was told of each change that matters to them (SMS, as there is a phone only).
            let messages = try await app.environment.database.withConnection { try await OutboxRepository.messages(for: code, in: $0) }
            #expect(messages.map(\.sequence) == [1, 2, 3, 6, 10, 11])
            #expect(messages.allSatisfy { $0.channel == "sms" && !$0.body.contains("Bình") })

            // Public tracking: status and dates with the last 4 digits, nothing personal; a wrong pair is 404.
            let tracked = try await app.call(.get, "/api/v1/tracking/\(code)?digits=5678", as: nil)
            #expect(tracked.status == .ok && tracked.body["status"] as? Int == 10)
            #expect(!tracked.text.contains("Bình") && !tracked.text.contains("0912") && !tracked.text.contains("001190"))
            #expect(try await app.call(.get, "/api/v1/tracking/\(code)?digits=0000", as: nil).status == .notFound)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func counterIntakeAndLeaderWatch(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            // At the counter the officer submits and accepts at once; the citizen's account is not the owner.
            let counter = DossierApp.companyApplication.replacingOccurrences(of: #""channel":"online""#, with: #""channel":"counter""#)
                .replacingOccurrences(of: "{\"procedureCode\"", with: "{\"acceptNow\":true,\"procedureCode\"")
            let created = try await app.call(.post, "/api/v1/dossiers", as: "intake", json: counter)
            #expect(created.status == .created && created.body["status"] as? Int == 2 && created.body["appointment"] != nil, "\(created.text)")
            #expect(created.body["responsibleOfficer"] as? String == app.accounts["intake"]!.id)
            // A citizen cannot submit at the counter, nor an officer online, nor for another agency.
            #expect(try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: counter).status == .forbidden)
            #expect(try await app.call(.post, "/api/v1/dossiers", as: "intake", json: DossierApp.companyApplication).status == .forbidden)
            #expect(try await app.call(.post, "/api/v1/dossiers", as: "otherIntake", json: counter).status == .forbidden)
            // Validation names the field, and refuses before the transaction: no turn on SQLite's one writer.
            let batches = app.environment.database.writeBatches
            let invalid = try await app.call(.post, "/api/v1/dossiers", as: "citizen",
                                             json: DossierApp.companyApplication.replacingOccurrences(of: "001190012345", with: "003190012345"))
            #expect(invalid.status == .unprocessableContent)
            #expect((invalid.body["errors"] as? [[String: Any]])?.first?["path"] as? String == "applicant.citizenId")
            #expect(app.environment.database.writeBatches == batches)

            // The leader's watch: with a due-soon window wider than the whole first step, it is due soon, held by the intake officer.
            let watch = try await app.call(.get, "/api/v1/agencies/\(People.centre)/deadlines", as: "centreLeader")
            #expect(watch.status == .ok, "\(watch.text)")
            let officers = try #require(watch.body["officers"] as? [[String: Any]])
            #expect(officers.first?["officer"] as? String == app.accounts["intake"]!.id)
            #expect((watch.body["overdueCount"] as? Int ?? 0) + (watch.body["dueSoonCount"] as? Int ?? 0) == 1)
            #expect(try await app.call(.get, "/api/v1/agencies/\(People.centre)/deadlines", as: "financeLeader").status == .forbidden)
            #expect(try await app.call(.get, "/api/v1/agencies/\(People.centre)/deadlines", as: "intake").status == .forbidden)
        }
    }

    @Test func inboxFiltersAndPagesOverHTTP() async throws {
        try await DossierApp.run(.sqlite) { app in
            let counter = DossierApp.companyApplication.replacingOccurrences(of: #""channel":"online""#, with: #""channel":"counter""#)
                .replacingOccurrences(of: "{\"procedureCode\"", with: "{\"acceptNow\":true,\"procedureCode\"")
            var codes: [String] = []
            for _ in 0..<3 {
                codes.append(try #require(try await app.call(.post, "/api/v1/dossiers", as: "intake", json: counter).body["code"] as? String))
            }
            // One page of two, then the rest through the opaque cursor, soonest deadline first.
            let first = try await app.call(.get, "/api/v1/dossiers?limit=2", as: "intake")
            let firstCodes = (first.body["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            let cursor = try #require(first.body["nextCursor"] as? String)
            let second = try await app.call(.get, "/api/v1/dossiers?limit=2&cursor=\(cursor)", as: "intake")
            let secondCodes = (second.body["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(firstCodes + secondCodes == codes && second.body["nextCursor"] == nil)
            #expect(first.body["total"] == nil)
            // The list reads the row's columns, not its documents: each line says what the dossier's own answer says.
            for item in (first.body["items"] as? [[String: Any]] ?? []) + (second.body["items"] as? [[String: Any]] ?? []) {
                let code = try #require(item["code"] as? String)
                let whole = try await app.call(.get, "/api/v1/dossiers/\(code)", as: "intake").body
                for field in ["procedureCode", "status", "statusLabel", "currentAgency", "responsibleOfficer", "appointment", "version"] {
                    #expect("\(item[field] ?? "nil")" == "\(whole[field] ?? "nil")", "\(code) \(field)")
                }
                let deadline = try #require(item["stepDeadline"] as? String)
                #expect(deadline == (whole["step"] as? [String: Any])?["deadline"] as? String && item["appointment"] as? String != nil)
            }
            // Filters: by status and procedure; nothing is overdue yet; bad filters name themselves.
            #expect((try await app.call(.get, "/api/v1/dossiers?status=2&procedure=2.001583", as: "intake").body["items"] as? [Any])?.count == 3)
            #expect((try await app.call(.get, "/api/v1/dossiers?status=4", as: "intake").body["items"] as? [Any])?.count == 0)
            #expect((try await app.call(.get, "/api/v1/dossiers?due=overdue", as: "intake").body["items"] as? [Any])?.count == 0)
            for (query, path) in [("status=99", "status"), ("status=", "status"), ("status=,", "status"), ("due=later", "due"), ("cursor=@@", "cursor"), ("limit=500", "limit")] {
                let reply = try await app.call(.get, "/api/v1/dossiers?\(query)", as: "intake")
                #expect(reply.status == .unprocessableContent && (reply.body["errors"] as? [[String: Any]])?.first?["path"] as? String == path,
                        "\(query): \(reply.text)")
            }
        }
    }
}
