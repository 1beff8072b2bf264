import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/sessions` (sign in and out) and `/api/v1/accounts` (register, read, unlock).
struct AccountRoutes {
    let environment: AppEnvironment
    var auth: AuthGate { environment.auth }

    struct AccountBody: Encodable, Sendable {
        let id: String
        let username: String
        let fullName: String
        let role: String
        let agencies: [String]
        let citizenId: String?
        let phone: String?
        let email: String?
        let lockedUntil: String?
        let version: Int

        init(_ account: Account) {
            id = account.id
            username = account.username
            fullName = account.fullName
            role = account.role.rawValue
            agencies = account.agencies
            citizenId = account.citizenId
            phone = account.phone
            email = account.email
            lockedUntil = account.lockedUntil.map(WorkingCalendar.iso8601)
            version = account.version
        }
    }

    struct SignInInput: Decodable {
        var username: String?
        var password: String?
        /// "cookie" for a browser session; otherwise a bearer token is returned.
        var session: String?
    }

    struct SignedInBody: Encodable, Sendable {
        let account: AccountBody
        let token: String?
        let expiresAt: String
    }

    struct RegisterInput: Decodable {
        var username: String?
        var password: String?
        var fullName: String?
        var role: String?
        var agencies: [String]?
        var citizenId: String?
        var phone: String?
        var email: String?

        func draft() throws -> AccountDraft {
            var v = Validator()
            v.require(username != nil, "username", "required", "Không được để trống")
            v.require(password != nil, "password", "required", "Không được để trống")
            v.require(fullName != nil, "fullName", "required", "Không được để trống")
            let role = self.role.map(DossierRole.init(rawValue:)) ?? .citizen
            v.require(role != nil, "role", "enum", "Một trong: \(DossierRole.allCases.map(\.rawValue).joined(separator: ", "))")
            try v.check()
            return AccountDraft(username: username!, password: password!, fullName: fullName!, role: role!, agencies: agencies ?? [],
                                citizenId: citizenId, phone: phone, email: email)
        }
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.post("sessions") { request, context -> Response in
            let input = try await request.decode(as: SignInInput.self, context: context)
            var v = Validator()
            v.require(input.username?.isEmpty == false, "username", "required", "Không được để trống")
            v.require(input.password?.isEmpty == false, "password", "required", "Không được để trống")
            v.require(input.session == nil || ["cookie", "bearer"].contains(input.session!), "session", "enum", "cookie hoặc bearer")
            try v.check()
            let username = input.username!.trimmingCharacters(in: .whitespaces).lowercased()
            try await environment.auth.admitSignIn(username: username, from: context.peer)
            let kind: SessionRepository.Kind = input.session == "cookie" ? .cookie : .bearer
            let signedIn = try await environment.accounts.signIn(username: username, password: input.password!, kind: kind)
            let body = SignedInBody(account: AccountBody(signedIn.account), token: kind == .bearer ? signedIn.token : nil,
                                    expiresAt: WorkingCalendar.iso8601(signedIn.expires))
            var response = try JSON(body, status: .created).response(from: request, context: context)
            if kind == .cookie { response.setCookie(AuthGate.sessionCookie(signedIn.token, expires: signedIn.expires)) }
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.delete("sessions/current") { request, _ -> Response in
            let caller = try await auth.require(request)
            try await environment.accounts.signOut(token: caller.token)
            var response = Response(status: .noContent)
            response.setCookie(AuthGate.clearedCookie())
            return response
        }
        router.get("accounts/me") { request, _ in
            JSON(AccountBody(try await auth.require(request).account))
        }
        router.post("accounts") { request, context -> Response in
            let creator = try await auth.account(request)
            let input = try await request.decode(as: RegisterInput.self, context: context)
            let account = try await environment.accounts.register(try input.draft(), by: creator)
            var response = try JSON(AccountBody(account), status: .created).response(from: request, context: context)
            response.headers[.location] = "/api/v1/accounts/\(account.id)"
            return response
        }
        router.get("accounts") { request, _ in
            guard let viewer = try await auth.account(request) else { throw AuthError.unauthenticated }
            let paging = try Paging(request)
            let accounts = try await environment.accounts.list(by: viewer, after: paging.after, limit: paging.limit + 1)
            return JSON(paging.page(accounts.map(AccountBody.init), key: \.username))
        }
        router.get("accounts/{id}") { request, context in
            guard let viewer = try await auth.account(request) else { throw AuthError.unauthenticated }
            return JSON(AccountBody(try await environment.accounts.find(try context.parameters.require("id"), by: viewer)))
        }
        router.post("accounts/{id}/unlock") { request, context in
            guard let viewer = try await auth.account(request) else { throw AuthError.unauthenticated }
            return JSON(AccountBody(try await environment.accounts.unlock(try context.parameters.require("id"), by: viewer)))
        }
    }
}
