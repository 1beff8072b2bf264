import Foundation
import HTTPTypes
import Hummingbird
import MotCuaCore
import MotCuaStore

/// Who is asking, as found from a session cookie or a bearer token.
struct Caller: Sendable {
    let account: Account
    let token: String
    let via: SessionRepository.Kind

    var viewer: Viewer { account.viewer }
}

/// Finds the caller of a request. Browsers carry the session in an HTTP-only cookie, API clients
/// a bearer token; both are looked up the same way. The deployment's administrator token (for
/// set-up before any account exists) is accepted only where administration is asked for.
struct AuthGate: Sendable {
    static let cookieName = "motcua_session"

    let accounts: AccountService
    let admin: AdminGuard
    let limiter: LoginLimiter

    /// The caller, nil when the request carries no credentials; 401 when it carries stale ones.
    func caller(_ request: Request) async throws -> Caller? {
        let token: String
        let via: SessionRepository.Kind
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer "), !admin.matches(header) else { return nil }
            token = String(header.dropFirst(7))
            via = .bearer
        } else if let cookie = request.cookies[Self.cookieName] {
            token = cookie.value
            via = .cookie
            try Self.checkSameOrigin(request)
        } else {
            return nil
        }
        guard let account = try await accounts.account(forToken: token) else { throw AuthError.unauthenticated }
        return Caller(account: account, token: token, via: via)
    }

    func require(_ request: Request) async throws -> Caller {
        guard let caller = try await caller(request) else { throw AuthError.unauthenticated }
        return caller
    }

    /// Sign-in attempts are limited per account and per address (429 past the limit).
    func admitSignIn(username: String, from peer: String) async throws {
        if let wait = await limiter.admit(account: username, address: peer) { throw AuthError.rateLimited(retryAfterSeconds: wait) }
    }

    /// So is tracking: four digits are only 10,000 guesses.
    func admitTracking(code: String, from peer: String) async throws {
        if let wait = await limiter.admit(account: "track:\(code)", address: "track:\(peer)") {
            throw AuthError.rateLimited(retryAfterSeconds: wait)
        }
    }

    /// The caller as an account: the administrator token acts as a system administrator.
    func account(_ request: Request) async throws -> Account? {
        if let header = request.headers[.authorization], admin.matches(header) { return Self.tokenAdministrator }
        return try await caller(request)?.account
    }

    static let tokenAdministrator = Account(id: "admin-token", username: "admin-token", fullName: "Quản trị triển khai", role: .systemAdmin)

    /// Administration: the configured administrator token, or a system administrator's session.
    func requireAdmin(_ request: Request) async throws {
        if let header = request.headers[.authorization], admin.matches(header) { return }
        let caller = try await require(request)
        guard caller.account.role == .systemAdmin else { throw AuthError.forbidden("Chỉ quản trị hệ thống") }
    }

    /// A cookie rides along with any request the browser makes, even one another site triggers:
    /// a state-changing request with a cookie must come from our own origin (the cookie is also
    /// SameSite=Lax; this covers older browsers and same-site subdomains).
    static func checkSameOrigin(_ request: Request) throws {
        guard ![.get, .head, .options].contains(request.method) else { return }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site) {
            throw AuthError.forbidden("Yêu cầu từ trang khác bị từ chối")
        }
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard let originHost = URLComponents(string: origin)?.host.map({ h in URLComponents(string: origin)?.port.map { "\(h):\($0)" } ?? h }),
              originHost == host
        else { throw AuthError.forbidden("Yêu cầu từ trang khác bị từ chối") }
    }

    /// The session cookie: HTTP-only, Secure, SameSite=Lax, for the whole site.
    static func sessionCookie(_ token: String, expires: Date) -> Cookie {
        Cookie(name: cookieName, value: token, expires: expires, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }

    static func clearedCookie() -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }
}
