import Foundation
import HTTPTypes
import MotCuaCore
import MotCuaTestSupport
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Every operation of /openapi.json × every kind of caller (citizen owner and stranger; officers of
/// the dossier's agencies and of others; administrators; anonymous): allowed or denied as the rules
/// say. A denied call is 401, 403 or 404 and changes nothing; the test fails if an operation has no
/// row here, so a new endpoint cannot ship without saying who may call it.
@Suite struct AuthorisationMatrixTests {
    static let everyone: [String?] = ["citizen", "citizen2", "intake", "centreLeader", "specialist", "financeLeader", "otherIntake",
                                      "stranger", "agencyAdmin", "financeAdmin", "systemAdmin", nil]
    static let signedIn = Set(everyone.compactMap { $0 })
    static let publicAccess = Set(everyone.map { $0 ?? "anonymous" })
    static let centreReaders: Set<String> = ["intake", "centreLeader", "agencyAdmin", "systemAdmin"]

    /// How a dossier is brought to where a command can be tried on it.
    enum Prep {
        case submitted, accepted, supplementRequested, atFinance, paymentRequested, atLastStep, approved, resultReady, returned
    }

    struct Command {
        let verb: String
        let prep: Prep
        let body: String
        let allowed: Set<String>
    }

    static let commands: [Command] = [
        Command(verb: "accept", prep: .submitted, body: "{}", allowed: ["intake"]),
        Command(verb: "refuse", prep: .submitted, body: #"{"reason":"Không thuộc thẩm quyền"}"#, allowed: ["intake"]),
        Command(verb: "request-supplement", prep: .submitted, body: #"{"missing":["Điều lệ"],"reason":"Thiếu"}"#, allowed: ["intake"]),
        Command(verb: "receive-supplement", prep: .supplementRequested, body: "{}", allowed: ["intake", "citizen"]),
        Command(verb: "forward", prep: .accepted, body: "{}", allowed: ["intake", "centreLeader"]),
        Command(verb: "send-back", prep: .atFinance, body: #"{"reason":"Sai bước"}"#, allowed: ["specialist", "financeLeader"]),
        Command(verb: "request-payment", prep: .atFinance, body: #"{"amountVnd":50000,"reason":"Lệ phí"}"#, allowed: ["specialist"]),
        Command(verb: "record-payment", prep: .paymentRequested, body: #"{"reference":"BL-001"}"#, allowed: ["specialist"]),
        Command(verb: "approve", prep: .atLastStep, body: "{}", allowed: ["centreLeader"]),
        Command(verb: "mark-result-ready", prep: .approved, body: "{}", allowed: ["intake"]),
        Command(verb: "return-result", prep: .resultReady, body: "{}", allowed: ["intake"]),
        Command(verb: "stop", prep: .accepted, body: #"{"reason":"Dừng"}"#, allowed: ["centreLeader"]),
        Command(verb: "withdraw", prep: .submitted, body: #"{"reason":"Rút"}"#, allowed: ["citizen", "intake"]),
        Command(verb: "apologise", prep: .accepted, body: "", allowed: ["centreLeader"]),
        Command(verb: "rate", prep: .returned, body: #"{"rating":"very_satisfied","comment":"Nhanh, chu đáo"}"#, allowed: ["citizen"]),
    ]

    /// A fresh dossier of the citizen's, brought to `prep` through the service.
    static func prepare(_ prep: Prep, _ app: DossierApp) async throws -> StoredDossier {
        let service = app.environment.dossiers
        func viewer(_ name: String) -> Viewer { app.accounts[name]!.viewer }
        let applicant = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678")
        var dossier = try await service.submit(procedureCode: "2.001583", channel: .online, receivingAgency: People.centre,
                                               applicant: applicant, by: viewer("citizen"))
        func act(_ command: DossierCommand, _ who: String) async throws {
            dossier = try await service.act(command, on: dossier.code, expectedVersion: dossier.version, by: viewer(who))
        }
        if prep == .submitted { return dossier }
        try await act(.accept, "intake")
        switch prep {
        case .submitted, .accepted: break
        case .supplementRequested: try await act(.requestSupplement(missing: ["Điều lệ"], reason: "Thiếu"), "intake")
        case .atFinance, .paymentRequested:
            try await act(.forward(note: nil), "intake")
            if prep == .paymentRequested { try await act(.requestPayment(amountVnd: 50_000, reason: "Lệ phí"), "specialist") }
        case .atLastStep, .approved, .resultReady, .returned:
            try await act(.forward(note: nil), "intake")
            try await act(.forward(note: nil), "specialist")
            try await act(.forward(note: nil), "specialist")
            if prep != .atLastStep { try await act(.approve, "centreLeader") }
            if prep == .resultReady || prep == .returned { try await act(.markResultReady, "intake") }
            if prep == .returned { try await act(.returnResult, "intake") }
        }
        return dossier
    }

    static func allows(_ reply: DossierApp.Reply) -> Bool { ![401, 403, 404].contains(reply.status.code) }

    @Test(arguments: TestDatabases.kinds)
    func everyOperationForEveryCaller(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            var covered: Set<String> = []
            var failures: [String] = []
            // Allowed means a 2xx answer, except for administration rows sent deliberately incomplete
            // bodies, where allowed means "past the access check" (a 4xx about the input).
            func check(_ operation: String, _ who: String?, allowed: Bool, _ reply: DossierApp.Reply, lenient: Bool = false) {
                covered.insert(operation)
                let passed = lenient ? Self.allows(reply) : (200..<300).contains(reply.status.code)
                let denied = [401, 403, 404].contains(reply.status.code)
                if (allowed && !passed) || (!allowed && !denied)
                    || (!allowed && who == nil && reply.status != .unauthorized && operation.contains("{code}/")) {
                    failures.append("\(operation) as \(who ?? "anonymous"): \(reply.status.code) \(reply.text.prefix(160))")
                }
            }

            // Commands: one fresh dossier per caller; a denied command leaves the version as it was.
            for command in Self.commands {
                let operation = "POST /api/v1/dossiers/{code}/\(command.verb)"
                for who in Self.everyone {
                    let dossier = try await Self.prepare(command.prep, app)
                    var body = command.body
                    if command.verb == "apologise" {
                        let later = WorkingCalendar.iso8601(dossier.state.appointment!.addingTimeInterval(5 * 86400))
                        body = #"{"reason":"Cần xác minh","newAppointment":"\#(later)"}"#
                    }
                    let reply = try await app.call(.post, "/api/v1/dossiers/\(dossier.code)/\(command.verb)", as: who, json: body,
                                                   version: dossier.version)
                    let allowed = command.allowed.contains(who ?? "anonymous")
                    check(operation, who, allowed: allowed, reply)
                    if allowed, reply.status != .ok { failures.append("\(operation) as \(who!): expected 200, got \(reply.text.prefix(160))") }
                    if !allowed, try await DossierRepository(database: app.environment.database).find(dossier.code)?.version != dossier.version {
                        failures.append("\(operation) as \(who ?? "anonymous"): denied but the dossier changed")
                    }
                }
            }

            // Attaching a file: the applicant before acceptance, the officers of the agency it is with.
            for who in Self.everyone {
                let dossier = try await Self.prepare(.submitted, app)
                let reply = try await app.call(.post, "/api/v1/dossiers/\(dossier.code)/documents?label=T%E1%BB%9D%20khai", as: who,
                                               json: "%PDF-1.7 \(who ?? "")", contentType: "application/pdf")
                check("POST /api/v1/dossiers/{code}/documents", who, allowed: ["citizen", "intake", "centreLeader"].contains(who ?? ""), reply)
            }

            // Reads of a dossier handed off from the centre to the Department of Finance.
            let handedOff = try await Self.prepare(.atFinance, app)
            let attached = try await app.call(.post, "/api/v1/dossiers/\(handedOff.code)/documents?label=K%E1%BA%BFt%20qu%E1%BA%A3",
                                              as: "specialist", json: "%PDF-1.7 kết quả", contentType: "application/pdf")
            let documentId = try #require(attached.body["id"] as? String, "\(attached.text)")
            let readers: Set<String> = ["citizen", "intake", "centreLeader", "specialist", "financeLeader"]
            let online = DossierApp.companyApplication
            var registrations = 0
            let cases: [(String, String, Set<String>, () -> String?)] = [
                ("GET /api/v1/dossiers/{code}", "/api/v1/dossiers/\(handedOff.code)", readers, { nil }),
                ("GET /api/v1/dossiers/{code}/events", "/api/v1/dossiers/\(handedOff.code)/events", readers, { nil }),
                ("GET /api/v1/dossiers/{code}/forms/{form}", "/api/v1/dossiers/\(handedOff.code)/forms/06", readers, { nil }),
                ("GET /api/v1/dossiers/{code}/documents", "/api/v1/dossiers/\(handedOff.code)/documents", readers, { nil }),
                ("GET /api/v1/dossiers/{code}/documents/{id}", "/api/v1/dossiers/\(handedOff.code)/documents/\(documentId)", readers, { nil }),
                ("GET /api/v1/dossiers", "/api/v1/dossiers", Self.signedIn.subtracting(["agencyAdmin", "financeAdmin", "systemAdmin"]), { nil }),
                ("POST /api/v1/dossiers", "/api/v1/dossiers", ["citizen", "citizen2"], { online }),
                ("GET /api/v1/agencies/{code}/deadlines", "/api/v1/agencies/\(People.centre)/deadlines", ["centreLeader"], { nil }),
                // Reports of the centre: its officers, its administrator and the system administrator.
                ("GET /api/v1/reports", "/api/v1/reports?agency=\(People.centre)", Self.centreReaders, { nil }),
                ("GET /api/v1/reports/dossiers", "/api/v1/reports/dossiers?agency=\(People.centre)&figure=received", Self.centreReaders, { nil }),
                ("GET /api/v1/reports/service-index", "/api/v1/reports/service-index?agency=\(People.centre)", Self.centreReaders, { nil }),
                ("GET /api/v1/reports/export", "/api/v1/reports/export?agency=\(People.centre)&format=xlsx", Self.centreReaders, { nil }),
                ("GET /api/v1/accounts/me", "/api/v1/accounts/me", Self.signedIn, { nil }),
                ("GET /api/v1/accounts", "/api/v1/accounts", ["agencyAdmin", "financeAdmin", "systemAdmin"], { nil }),
                ("GET /api/v1/accounts/{id}", "/api/v1/accounts/\(app.accounts["intake"]!.id)", ["intake", "agencyAdmin", "systemAdmin"], { nil }),
                ("POST /api/v1/accounts/{id}/unlock", "/api/v1/accounts/\(app.accounts["intake"]!.id)/unlock", ["agencyAdmin", "systemAdmin"],
                 { nil }),
                ("POST /api/v1/accounts", "/api/v1/accounts", ["agencyAdmin", "systemAdmin"], {
                    registrations += 1
                    return #"{"username":"officer\#(registrations)","password":"mat-khau-moi-1","fullName":"Cán bộ mới","role":"intake_officer","agencies":["\#(People.centre)"]}"#
                }),
                // Administration of agencies and the catalogue: the system administrator only.
                ("POST /api/v1/agencies", "/api/v1/agencies", ["systemAdmin"], { "{}" }),
                ("PUT /api/v1/agencies/{code}", "/api/v1/agencies/000.00.13.H26", ["systemAdmin"], { "{}" }),
                ("DELETE /api/v1/agencies/{code}", "/api/v1/agencies/000.00.13.H26", ["systemAdmin"], { nil }),
                ("POST /api/v1/procedures", "/api/v1/procedures", ["systemAdmin"], { "{}" }),
                ("PUT /api/v1/procedures/{code}", "/api/v1/procedures/2.001583", ["systemAdmin"], { "{}" }),
                ("POST /api/v1/procedures/{code}/processes", "/api/v1/procedures/2.001583/processes", ["systemAdmin"], { "{}" }),
                ("POST /api/v1/catalogue/import", "/api/v1/catalogue/import", ["systemAdmin"], { "{}" }),
                // Public reference data and the service's own endpoints.
                ("GET /healthz", "/healthz", Self.publicAccess, { nil }),
                ("GET /readyz", "/readyz", Self.publicAccess, { nil }),
                ("GET /metrics", "/metrics", Self.publicAccess, { nil }),
                ("GET /openapi.json", "/openapi.json", Self.publicAccess, { nil }),
                ("GET /api/v1/units", "/api/v1/units", Self.publicAccess, { nil }),
                ("GET /api/v1/units/{code}", "/api/v1/units/01", Self.publicAccess, { nil }),
                ("GET /api/v1/agencies", "/api/v1/agencies", Self.publicAccess, { nil }),
                ("GET /api/v1/agencies/{code}", "/api/v1/agencies/\(People.centre)", Self.publicAccess, { nil }),
                ("GET /api/v1/procedures", "/api/v1/procedures", Self.publicAccess, { nil }),
                ("GET /api/v1/procedures/{code}", "/api/v1/procedures/2.001583", Self.publicAccess, { nil }),
                ("GET /api/v1/procedures/{code}/processes", "/api/v1/procedures/2.001583/processes", Self.publicAccess, { nil }),
                ("GET /api/v1/procedures/{code}/processes/{version}", "/api/v1/procedures/2.001583/processes/1", Self.publicAccess, { nil }),
                ("GET /api/v1/catalogue/export", "/api/v1/catalogue/export", Self.publicAccess, { nil }),
                ("GET /api/v1/reports/reengineering", "/api/v1/reports/reengineering?from=2025-07-01&to=2026-06-30", Self.publicAccess, { nil }),
            ]
            for (operation, uri, allowed, body) in cases {
                let method = HTTPRequest.Method(String(operation.prefix { $0 != " " }))!
                let lenient = method != .get && !operation.contains("/accounts")
                for who in Self.everyone {
                    let reply = try await app.call(method, uri, as: who, json: body())
                    check(operation, who, allowed: allowed.contains(who ?? "anonymous"), reply, lenient: lenient)
                }
            }
            // Public tracking: a dossier per caller, as each code allows only so many attempts.
            for who in Self.everyone {
                let dossier = try await Self.prepare(.submitted, app)
                check("GET /api/v1/tracking/{code}", who, allowed: true,
                      try await app.call(.get, "/api/v1/tracking/\(dossier.code)?digits=5678", as: who))
            }
            // Anyone may register a citizen account, and sign in; signing out needs a session.
            for who in Self.everyone {
                let citizen = #"{"username":"dan\#(registrations)","password":"mat-khau-moi-1","fullName":"Công dân","citizenId":"001190054321"}"#
                registrations += 1
                check("POST /api/v1/accounts (citizen)", who, allowed: true, try await app.call(.post, "/api/v1/accounts", as: who, json: citizen))
            }
            for who in Self.everyone {
                let username = who.map { People.drafts[$0]!.username } ?? "nobody"
                let reply = try await app.call(.post, "/api/v1/sessions", as: nil,
                                               json: #"{"username":"\#(username)","password":"\#(People.password)"}"#)
                check("POST /api/v1/sessions", who, allowed: who != nil, reply)
            }
            for who in Self.everyone {
                check("DELETE /api/v1/sessions/current", who, allowed: who != nil,
                      try await app.call(.delete, "/api/v1/sessions/current", as: who))
            }

            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            let documented = try Self.documentedOperations()
            #expect(documented.subtracting(covered).isEmpty, "operations without a row: \(documented.subtracting(covered).sorted())")
        }
    }

    static func documentedOperations() throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: OpenAPIRoute.document)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }
}
