import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// For everything outside the JSON API, an error is a page: in the reader's language, with a way
/// back, and never a stack trace. A page that needs a session sends the browser to sign in.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let kit: PageKit

    static let machinePaths = ["/api/", "/openapi.json", "/metrics", "/healthz", "/readyz", "/static/"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.machinePaths.contains(where: { request.uri.path.hasPrefix($0) }) { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch AuthError.unauthenticated where request.method == .get {
            let query = request.uri.query.map { "?\($0)" } ?? ""
            return PageKit.redirect("/dang-nhap?next=\(PageKit.urlEncoded(request.uri.path + query))")
        } catch {
            let (status, key, detail) = Self.describe(error)
            if status == .internalServerError {
                context.logger.error("page error", metadata: ["error_type": "\(type(of: error))"])
            }
            var page: [String: Any] = ["message": Language.of(request).language.strings[key] ?? key, "signIn": status == .unauthorized]
            if let detail { page["detail"] = detail }
            page["back"] = (error as? PageError)?.back ?? "/"
            return kit.page("error", title: "error_title", page, request: request, caller: await kit.caller(request), status: status)
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponse.Status, String, String?) {
        switch error {
        case let error as PageError: return (error.status, error.messageKey, error.detail)
        case let error as AuthError:
            switch error {
            case .unauthenticated, .invalidCredentials: return (.unauthorized, "error_sign_in", nil)
            case .forbidden: return (.forbidden, "error_forbidden", nil)
            default: return (.tooManyRequests, "error_invalid", error.message)
            }
        case let error as DossierError:
            return error.code.hasPrefix("auth.") ? (.forbidden, "error_forbidden", nil) : (.conflict, "error_invalid", error.message)
        case StoreError.notFound: return (.notFound, "error_not_found", nil)
        case let error as HTTPError where error.status == .notFound: return (.notFound, "error_not_found", nil)
        case let error as Problem where error.status.code < 500: return (error.status, "error_invalid", error.detail)
        default: return (.internalServerError, "error_server", nil)
        }
    }
}
