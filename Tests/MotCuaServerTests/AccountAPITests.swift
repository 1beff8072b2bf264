import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Registration, sign-in by bearer token and by cookie, lock-out and unlock, rate limits.
@Suite struct AccountAPITests {
    static func signIn(_ app: DossierApp, _ username: String, _ password: String, session: String = "bearer") async throws -> DossierApp.Reply {
        try await app.call(.post, "/api/v1/sessions", as: nil,
                           json: #"{"username":"\#(username)","password":"\#(password)","session":"\#(session)"}"#)
    }

    @Test func registerSignInAndOut() async throws {
        try await DossierApp.run(.sqlite) { app in
            // The citizen id is checked with its reason; the password's length too.
            let bad = try await app.call(.post, "/api/v1/accounts", as: nil,
                                         json: #"{"username":"an.nguyen","password":"short","fullName":"Nguyễn Văn An","citizenId":"999190012345"}"#)
            #expect(bad.status == .unprocessableContent)
            let paths = Set((bad.body["errors"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
            #expect(paths == ["password", "citizenId"])
            let body = #"{"username":"An.Nguyen","password":"mat-khau-dai-du","fullName":"Nguyễn Văn An","citizenId":"001090012399","phone":"+84 912 000 111"}"#
            let created = try await app.call(.post, "/api/v1/accounts", as: nil, json: body)
            #expect(created.status == .created && created.body["username"] as? String == "an.nguyen" && created.body["role"] as? String == "citizen")
            #expect(created.body["phone"] as? String == "0912000111" && !created.text.contains("mat-khau") && !created.text.contains("$2"))
            #expect(try await app.call(.post, "/api/v1/accounts", as: nil, json: body).status == .conflict)
            // Nobody registers themselves as an officer.
            let officer = #"{"username":"fake","password":"mat-khau-dai-du","fullName":"Giả","role":"leader","agencies":["000.00.30.H26"]}"#
            #expect(try await app.call(.post, "/api/v1/accounts", as: nil, json: officer).status == .forbidden)
            // An agency administrator opens officers for their own agency only, and no administrators.
            let admin = officer.replacingOccurrences(of: "fake", with: "fake3").replacingOccurrences(of: "leader", with: "agency_admin")
            #expect(try await app.call(.post, "/api/v1/accounts", as: "agencyAdmin", json: admin).status == .forbidden)
            #expect(try await app.call(.post, "/api/v1/accounts", as: "agencyAdmin", json: officer).status == .created)
            let elsewhere = officer.replacingOccurrences(of: "fake", with: "fake2").replacingOccurrences(of: "000.00.30.H26", with: "000.00.09.H26")
            #expect(try await app.call(.post, "/api/v1/accounts", as: "agencyAdmin", json: elsewhere).status == .forbidden)

            // Bearer: the token opens /me; after sign-out it no longer does.
            let signedIn = try await Self.signIn(app, "AN.NGUYEN", "mat-khau-dai-du")
            #expect(signedIn.status == .created && signedIn.headers[.setCookie] == nil)
            let token = try #require(signedIn.body["token"] as? String)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            try await app.client.execute(uri: "/api/v1/accounts/me", method: .get, headers: bearer) { response in
                #expect(response.status == .ok && (try? json(response.body))?["username"] as? String == "an.nguyen")
            }
            try await app.client.execute(uri: "/api/v1/sessions/current", method: .delete, headers: bearer) { #expect($0.status == .noContent) }
            try await app.client.execute(uri: "/api/v1/accounts/me", method: .get, headers: bearer) { response in
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate] == "Bearer")
            }

            // Cookie: HTTP-only, Secure, SameSite=Lax, no token in the body; a cross-site write with it is refused.
            let cookieSignIn = try await Self.signIn(app, "an.nguyen", "mat-khau-dai-du", session: "cookie")
            let setCookie = try #require(cookieSignIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Lax"))
            #expect(cookieSignIn.body["token"] == nil)
            let cookie = String(setCookie.prefix { $0 != ";" })
            try await app.client.execute(uri: "/api/v1/accounts/me", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .ok) }
            try await app.client.execute(uri: "/api/v1/dossiers", method: .post,
                                         headers: [.cookie: cookie, .origin: "https://evil.example", .contentType: "application/json"],
                                         body: ByteBuffer(string: DossierApp.companyApplication)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func lockOutAfterRepeatedFailuresAndUnlock() async throws {
        try await DossierApp.run(.sqlite) { app in
            for attempt in 1...4 {
                let reply = try await Self.signIn(app, "intake", "sai-mat-khau")
                #expect(reply.status == .unauthorized && reply.body["code"] as? String == "auth.invalid_credentials", "attempt \(attempt)")
            }
            // The fifth failure locks; then even the right password is refused, and sessions are ended.
            #expect(try await Self.signIn(app, "intake", "sai-mat-khau").status.code == 423)
            let locked = try await Self.signIn(app, "intake", People.password)
            #expect(locked.status.code == 423 && locked.body["code"] as? String == "auth.locked")
            #expect(try await app.call(.get, "/api/v1/accounts/me", as: "intake").status == .unauthorized)
            // Unknown usernames get the same answer as a wrong password.
            #expect(try await Self.signIn(app, "khong.ton.tai", "sai-mat-khau").body["code"] as? String == "auth.invalid_credentials")
            // The locked officer's own session ended; an officer cannot unlock; another agency's
            // administrator does not even see the account; the centre's administrator unlocks it.
            let id = app.accounts["intake"]!.id
            #expect(try await app.call(.post, "/api/v1/accounts/\(id)/unlock", as: "intake").status == .unauthorized)
            #expect(try await app.call(.post, "/api/v1/accounts/\(id)/unlock", as: "specialist").status == .forbidden)
            #expect(try await app.call(.post, "/api/v1/accounts/\(id)/unlock", as: "financeAdmin").status == .notFound)
            #expect(try await Self.signIn(app, "intake", People.password).status.code == 423)
            let unlocked = try await app.call(.post, "/api/v1/accounts/\(id)/unlock", as: "agencyAdmin")
            #expect(unlocked.status == .ok && unlocked.body["lockedUntil"] == nil)
            #expect(try await Self.signIn(app, "intake", People.password).status == .created)
        }
    }

    @Test func signInIsRateLimitedPerAccountAndPerAddress() async throws {
        try await DossierApp.run(.sqlite) { app in
            // Per account: 10 attempts in 5 minutes, whatever their outcome (the lock-out stops failures at 5).
            for _ in 1...10 { _ = try await Self.signIn(app, "citizen", People.password) }
            let limited = try await Self.signIn(app, "citizen", People.password)
            #expect(limited.status == .tooManyRequests && Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Per address: 30 in 5 minutes across accounts (these test requests all come from one address).
            var statuses: [Int] = []
            for index in 0..<25 { statuses.append(Int(try await Self.signIn(app, "user\(index)", "x-password").status.code)) }
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 } && statuses.suffix(5).allSatisfy { $0 == 429 })
        }
    }

    @Test func limiterWindows() async {
        let limiter = LoginLimiter(perAccount: .init(attempts: 2, window: 60), perAddress: .init(attempts: 3, window: 60))
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(await limiter.admit(account: "a", address: "1", now: start) == nil)
        #expect(await limiter.admit(account: "a", address: "1", now: start) == nil)
        #expect(await limiter.admit(account: "a", address: "1", now: start.addingTimeInterval(10)) == 50)
        #expect(await limiter.admit(account: "b", address: "1", now: start.addingTimeInterval(10)) == nil)
        #expect(await limiter.admit(account: "c", address: "1", now: start.addingTimeInterval(10)) == 50)
        #expect(await limiter.admit(account: "a", address: "2", now: start.addingTimeInterval(61)) == nil)
    }
}
