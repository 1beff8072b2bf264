import Foundation
import HTTPTypes
import Hummingbird
import MotCuaCore
import MotCuaStore

/// A page's error: shown as a page a person understands, in their language, with a way back.
struct PageError: Error {
    let status: HTTPResponse.Status
    /// A key of the interface strings.
    let messageKey: String
    var detail: String?
    /// Where "back" leads (home when nil).
    var back: String?
}

/// What every page shares: the layout, the language, the signed-in person, the CSRF token and
/// the security headers.
struct PageKit: Sendable {
    let environment: AppEnvironment

    /// `__Host-`: the browser keeps it only if Secure, for `/` and set by this host, so a sibling
    /// subdomain cannot plant a token it knows.
    static let csrfCookie = "__Host-motcua_csrf"
    /// No inline script, no other origin: every asset is served by MotCua.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// The person behind the browser's session cookie, nil when there is none or it is stale.
    func caller(_ request: Request) async -> Caller? {
        guard request.cookies[AuthGate.cookieName] != nil else { return nil }
        return try? await environment.auth.caller(request)
    }

    func requireCaller(_ request: Request) async throws -> Caller {
        guard let caller = await caller(request) else { throw AuthError.unauthenticated }
        return caller
    }

    /// Renders `template` inside the layout.
    func page(_ template: String, title titleKey: String, _ context: [String: Any], request: Request, caller: Caller?,
              status: HTTPResponse.Status = .ok, titleSuffix: String? = nil) -> Response {
        let (language, chosen) = Language.of(request)
        let strings = language.strings
        let existingToken = request.cookies[Self.csrfCookie]?.value
        let csrf = existingToken ?? Self.newToken()
        var content = context
        content["t"] = strings
        content["csrf"] = csrf
        content["lang"] = language.rawValue
        let body = Templates.render(content, template)
        var user: [String: Any]?
        if let account = caller?.account {
            user = ["name": account.fullName, "citizen": account.role == .citizen,
                    "officer": [.intakeOfficer, .processingOfficer, .leader].contains(account.role), "leader": account.role == .leader,
                    "reports": account.role != .citizen]
        }
        var query = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\($0.key)=\(Self.urlEncoded(String($0.value)))" }
        query.append("lang=\(language.other.rawValue)")
        let title = (strings[titleKey] ?? titleKey) + (titleSuffix.map { " \($0)" } ?? "")
        var layout: [String: Any] = [
            "t": strings, "lang": language.rawValue, "otherLang": language.other.rawValue, "title": title, "body": body, "csrf": csrf,
            "switchLanguage": "\(Self.localPath(request.uri.path) ?? "/")?\(query.joined(separator: "&"))",
        ]
        if let user { layout["user"] = user }
        var response = Response(status: status, headers: Self.headers(contentType: "text/html; charset=utf-8"),
                                body: .init(byteBuffer: ByteBuffer(string: Templates.render(layout, "layout"))))
        if existingToken == nil {
            response.setCookie(Cookie(name: Self.csrfCookie, value: csrf, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        }
        if chosen {
            response.setCookie(Cookie(name: Language.cookieName, value: language.rawValue, maxAge: 365 * 86400, path: "/",
                                      secure: true, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static func headers(contentType: String) -> HTTPFields {
        [.contentType: contentType, .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
         HTTPField.Name("Referrer-Policy")!: "same-origin", HTTPField.Name("X-Frame-Options")!: "DENY", .cacheControl: "no-store"]
    }

    /// 303 to a path of ours.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Only a local path: never `//elsewhere` or `https://elsewhere` (no open redirect).
    static func localPath(_ text: String?) -> String? {
        // Printable ASCII only (browsers drop tabs and newlines, turning "/\t/x" into "//x"), starting
        // with one slash not followed by another or by a backslash.
        guard let text, text.hasPrefix("/"), text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }),
              !text.dropFirst().hasPrefix("/"), !text.dropFirst().hasPrefix("\\")
        else { return nil }
        return text
    }

    /// A POSTed form's token must equal the CSRF cookie (double submit; the cookie is SameSite=Strict).
    static func checkCSRF(_ request: Request, _ token: String?) throws {
        guard let cookie = request.cookies[csrfCookie]?.value, let token,
              AdminGuard.constantTimeEqual(Array(cookie.utf8), Array(token.utf8))
        else { throw PageError(status: .forbidden, messageKey: "error_csrf") }
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hex
    }

    static func urlEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// Mustache shows a section for any string, even an empty one: drop the empty ones so that
    /// `{{#appointment}}…{{/appointment}}` means "when there is one".
    static func withoutEmpty(_ context: [String: Any]) -> [String: Any] {
        context.filter { !(($0.value as? String)?.isEmpty ?? false) }
    }

    /// `22/11/2026 08:00`, Vietnam time.
    static func dateTime(_ instant: Date?) -> String { instant.map { NotificationText.label($0) } ?? "" }
}
