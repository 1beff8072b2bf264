import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// Sign in, register and sign out in the browser; the session is the same HTTP-only cookie the API reads.
struct AccountPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }

    static let registerFields: [(name: String, label: String, type: String, autocomplete: String, required: Bool, hint: String?)] = [
        ("fullName", "full_name", "text", "name", true, nil),
        ("citizenId", "citizen_id", "text", "off", true, nil),
        ("phone", "phone", "tel", "tel", true, nil),
        ("email", "email", "email", "email", false, nil),
        ("username", "username", "text", "username", true, nil),
        ("password", "password", "password", "new-password", true, "password_hint"),
    ]

    func register(on router: Router<AppRequestContext>) {
        router.get("dang-nhap") { request, _ -> Response in
            let query = request.uri.queryParameters
            var page: [String: Any] = ["next": PageKit.localPath(query["next"].map(String.init)) ?? ""]
            if query["registered"] != nil { page["notice"] = Language.of(request).language.strings["register_done"] ?? "" }
            return kit.page("login", title: "login_title", page, request: request, caller: await kit.caller(request))
        }
        router.post("dang-nhap") { request, context -> Response in
            let form = try await PageKit.form(request)
            try PageKit.checkCSRF(request, form["csrf"])
            let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let strings = Language.of(request).language.strings
            var page: [String: Any] = ["username": username, "next": PageKit.localPath(form["next"]) ?? ""]
            do {
                try await environment.auth.admitSignIn(username: username, from: context.peer)
                let signedIn = try await environment.accounts.signIn(username: username, password: form["password"] ?? "", kind: .cookie)
                let home = signedIn.account.role == .citizen ? "/ho-so-cua-toi" : "/can-bo/ho-so"
                var response = PageKit.redirect(PageKit.localPath(form["next"]).flatMap { $0.isEmpty ? nil : $0 } ?? home)
                response.setCookie(AuthGate.sessionCookie(signedIn.token, expires: signedIn.expires))
                return response
            } catch let error as AuthError {
                page["failure"] = error == .invalidCredentials ? strings["login_failed"] ?? "" : error.message
                return kit.page("login", title: "login_title", page, request: request, caller: nil,
                                status: error == .invalidCredentials ? .unauthorized : .tooManyRequests)
            }
        }
        router.get("dang-ky") { request, _ -> Response in
            kit.page("register", title: "register_title", ["fields": Self.fields([:], [:], request)], request: request,
                     caller: await kit.caller(request))
        }
        router.post("dang-ky") { request, _ -> Response in
            let form = try await PageKit.form(request)
            try PageKit.checkCSRF(request, form["csrf"])
            func value(_ name: String) -> String? {
                let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            let draft = AccountDraft(username: value("username") ?? "", password: form["password"] ?? "", fullName: value("fullName") ?? "",
                                     role: .citizen, citizenId: value("citizenId"), phone: value("phone"), email: value("email"))
            do {
                _ = try await environment.accounts.register(draft, by: nil)
                return PageKit.redirect("/dang-nhap?registered=1")
            } catch let error as MotCuaCore.ValidationError {
                let errors = Dictionary(error.issues.map { ($0.path, $0.message) }, uniquingKeysWith: { first, _ in first })
                var values = form
                values["password"] = nil
                let strings = Language.of(request).language.strings
                return kit.page("register", title: "register_title",
                                ["fields": Self.fields(values, errors, request), "failure": strings["error_invalid"] ?? ""],
                                request: request, caller: nil, status: .unprocessableContent)
            } catch StoreError.duplicate {
                var values = form
                values["password"] = nil
                return kit.page("register", title: "register_title",
                                ["fields": Self.fields(values, ["username": "Tên đăng nhập đã có người dùng"], request)],
                                request: request, caller: nil, status: .conflict)
            }
        }
        router.post("dang-xuat") { request, _ -> Response in
            let form = try await PageKit.form(request)
            try PageKit.checkCSRF(request, form["csrf"])
            if let caller = await kit.caller(request) { try await environment.accounts.signOut(token: caller.token) }
            var response = PageKit.redirect("/")
            response.setCookie(AuthGate.clearedCookie())
            return response
        }
    }

    static func fields(_ values: [String: String], _ errors: [String: String], _ request: Request) -> [[String: Any]] {
        let strings = Language.of(request).language.strings
        return registerFields.map { field in
            var item: [String: Any] = ["name": field.name, "label": strings[field.label] ?? field.label, "type": field.type,
                                       "autocomplete": field.autocomplete, "required": field.required, "value": values[field.name] ?? ""]
            if let hint = field.hint { item["hint"] = strings[hint] ?? hint }
            if let error = errors[field.name] { item["error"] = error }
            let described = [field.hint.map { _ in "\(field.name)-hint" }, errors[field.name].map { _ in "\(field.name)-error" }].compactMap { $0 }
            if !described.isEmpty { item["describedBy"] = described.joined(separator: " ") }
            return item
        }
    }
}
