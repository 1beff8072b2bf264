import Foundation
import HTTPTypes
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import NIOCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// The browser's pages, over HTTP without a browser: language, escaping, security headers, CSRF,
/// sign-in, and who sees which dossier.
@Suite struct PageTests {
    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let html: String
    }

    static func get(_ app: DossierApp, _ uri: String, cookie: String? = nil) async throws -> Page {
        var headers: HTTPFields = [.accept: "text/html"]
        if let cookie { headers[.cookie] = cookie }
        return try await app.client.execute(uri: uri, method: .get, headers: headers) { response in
            Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        }
    }

    static func post(_ app: DossierApp, _ uri: String, _ form: String, cookie: String?) async throws -> Page {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await app.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form)) { response in
            Page(status: response.status, headers: response.headers, html: String(buffer: response.body))
        }
    }

    /// A browser session for one of the people, with a CSRF cookie.
    static func session(_ app: DossierApp, _ who: String) async throws -> String {
        let draft = People.drafts[who]!
        let token = try await app.environment.accounts.signIn(username: draft.username, password: draft.password, kind: .cookie).token
        return "motcua_session=\(token); __Host-motcua_csrf=csrf-test-token"
    }

    @Test func homeSearchLanguageAndHeaders() async throws {
        try await DossierApp.run(.sqlite) { app in
            let home = try await Self.get(app, "/?q=dang%20ky%20khai%20sinh")
            #expect(home.status == .ok && home.html.contains(#"<html lang="vi">"#))
            #expect(home.html.contains("Đăng ký khai sinh") && home.html.contains(#"href="/thu-tuc/1.001193""#))
            let csp = try #require(home.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
            #expect(home.headers[.xContentTypeOptions] == "nosniff")
            // The CSRF cookie is HTTP-only, Secure and SameSite=Strict.
            let cookies = home.headers[values: .setCookie].joined(separator: "\n")
            #expect(cookies.contains("__Host-motcua_csrf=") && cookies.contains("SameSite=Strict") && cookies.contains("HttpOnly"))
            // English by a switch, remembered in a cookie; codes do not change with the language.
            let english = try await Self.get(app, "/?q=khai%20sinh&lang=en")
            #expect(english.html.contains(#"<html lang="en">"#) && english.html.contains("Find an administrative procedure"))
            #expect(english.headers[values: .setCookie].contains { $0.hasPrefix("motcua_lang=en") })
            #expect(try await Self.get(app, "/", cookie: "motcua_lang=en").html.contains("Track a dossier"))
            // A procedure's page: papers, fees, time limit, where to apply.
            let procedure = try await Self.get(app, "/thu-tuc/2.001583")
            #expect(procedure.status == .ok && procedure.html.contains("Trung tâm Phục vụ hành chính công Thành phố Hà Nội"))
            #expect(procedure.html.contains("100.000 đồng") && procedure.html.contains("3 ngày làm việc"))
            #expect(try await Self.get(app, "/thu-tuc/9.999999").status == .notFound)
            // Assets are our own.
            let css = try await Self.get(app, "/static/app.css")
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(!home.html.contains("http://") && !home.html.contains("https://"))
        }
    }

    @Test func everythingIsEscaped() async throws {
        try await DossierApp.run(.sqlite) { app in
            let hostile = "<script>alert(1)</script>"
            let created = try await app.call(.post, "/api/v1/dossiers", as: "citizen",
                                             json: DossierApp.companyApplication.replacingOccurrences(of: "Trần Thị Bình", with: hostile))
            let code = try #require(created.body["code"] as? String)
            let page = try await Self.get(app, "/ho-so/\(code)", cookie: try await Self.session(app, "citizen"))
            #expect(page.status == .ok && !page.html.contains(hostile) && page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let search = try await Self.get(app, "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(!search.html.contains(hostile) && search.html.contains("&lt;script&gt;"))
        }
    }

    @Test func signInWithCSRFAndSeeOnlyOwnDossiers() async throws {
        try await DossierApp.run(.sqlite) { app in
            let created = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication)
            let code = try #require(created.body["code"] as? String)
            // A page that needs a session sends the browser to sign in, and back afterwards.
            let away = try await Self.get(app, "/ho-so-cua-toi")
            #expect(away.status == .seeOther && away.headers[.location] == "/dang-nhap?next=%2Fho-so-cua-toi")
            // Without the CSRF token the form is refused, as a page.
            let forged = try await Self.post(app, "/dang-nhap", "username=citizen&password=\(People.password)", cookie: "__Host-motcua_csrf=abc")
            #expect(forged.status == .forbidden && forged.html.contains("Phiên làm việc của biểu mẫu đã hết hạn"))
            let wrong = try await Self.post(app, "/dang-nhap", "csrf=abc&username=citizen&password=sai", cookie: "__Host-motcua_csrf=abc")
            #expect(wrong.status == .unauthorized && wrong.html.contains("Tên đăng nhập hoặc mật khẩu không đúng"))
            let signedIn = try await Self.post(app, "/dang-nhap", "csrf=abc&username=citizen&password=\(People.password)&next=%2Fho-so-cua-toi",
                                               cookie: "__Host-motcua_csrf=abc")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/ho-so-cua-toi")
            let session = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("motcua_session=") })
            #expect(session.contains("HttpOnly") && session.contains("Secure"))
            let cookie = String(session.prefix { $0 != ";" }) + "; __Host-motcua_csrf=abc"
            let mine = try await Self.get(app, "/ho-so-cua-toi", cookie: cookie)
            #expect(mine.status == .ok && mine.html.contains(code) && mine.html.contains("Mới đăng ký"))
            // An open redirect is not followed.
            let elsewhere = try await Self.post(app, "/dang-nhap", "csrf=abc&username=citizen&password=\(People.password)&next=%2F%2Fevil.example",
                                                cookie: "__Host-motcua_csrf=abc")
            #expect(elsewhere.headers[.location] == "/ho-so-cua-toi")
            // Nor one hidden behind a tab, which browsers drop ("/\t/evil" would become "//evil").
            let tabbed = try await Self.post(app, "/dang-nhap", "csrf=abc&username=citizen&password=\(People.password)&next=%2F%09%2Fevil.example",
                                             cookie: "__Host-motcua_csrf=abc")
            #expect(tabbed.headers[.location] == "/ho-so-cua-toi")
            #expect(PageKit.localPath("/ho-so/X?due=soon") == "/ho-so/X?due=soon" && PageKit.localPath("/\\evil") == nil)
            // The way back after signing in keeps the query.
            let filtered = try await Self.get(app, "/can-bo/ho-so?due=overdue")
            #expect(filtered.headers[.location] == "/dang-nhap?next=%2Fcan-bo%2Fho-so%3Fdue%3Doverdue")
            // Another citizen and another agency's officer get "not found" pages; the centre's officer sees the dossier.
            let other = try await Self.get(app, "/ho-so/\(code)", cookie: try await Self.session(app, "citizen2"))
            #expect(other.status == .notFound && other.html.contains("Không tìm thấy") && other.html.contains(#"href="/""#))
            #expect(try await Self.get(app, "/ho-so/\(code)", cookie: try await Self.session(app, "stranger")).status == .notFound)
            let officer = try await Self.get(app, "/ho-so/\(code)", cookie: try await Self.session(app, "intake"))
            #expect(officer.status == .ok && officer.html.contains("Nộp hồ sơ"))
            // Signing out ends the session.
            let out = try await Self.post(app, "/dang-xuat", "csrf=abc", cookie: cookie)
            #expect(out.status == .seeOther)
            #expect(try await Self.get(app, "/ho-so-cua-toi", cookie: cookie).status == .seeOther)
        }
    }

    @Test func inboxTrackingRegistrationAndErrors() async throws {
        try await DossierApp.run(.sqlite) { app in
            let counter = DossierApp.companyApplication.replacingOccurrences(of: #""channel":"online""#, with: #""channel":"counter""#)
                .replacingOccurrences(of: "{\"procedureCode\"", with: "{\"acceptNow\":true,\"procedureCode\"")
            let code = try #require(try await app.call(.post, "/api/v1/dossiers", as: "intake", json: counter).body["code"] as? String)
            let inbox = try await Self.get(app, "/can-bo/ho-so", cookie: try await Self.session(app, "intake"))
            #expect(inbox.status == .ok && inbox.html.contains(code) && inbox.html.contains("status-due_soon"))
            #expect(try await Self.get(app, "/can-bo/ho-so", cookie: try await Self.session(app, "citizen")).status == .forbidden)
            // The centre's leader sees it due soon, held by the intake officer; other roles may not look.
            let watch = try await Self.get(app, "/lanh-dao/han-xu-ly", cookie: try await Self.session(app, "centreLeader"))
            #expect(watch.status == .ok && watch.html.contains(code) && watch.html.contains("Cán bộ một cửa"), "\(watch.html)")
            #expect(try await Self.get(app, "/lanh-dao/han-xu-ly", cookie: try await Self.session(app, "intake")).status == .forbidden)
            let receipt = try await Self.get(app, "/ho-so/\(code)/mau/01", cookie: try await Self.session(app, "intake"))
            #expect(receipt.status == .ok && receipt.html.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))

            // Tracking shows status and dates, never the person.
            let tracked = try await Self.get(app, "/tra-cuu?code=\(code)&digits=5678")
            #expect(tracked.status == .ok && tracked.html.contains("Đã tiếp nhận") && !tracked.html.contains("Bình"))
            #expect(try await Self.get(app, "/tra-cuu?code=\(code)&digits=0000").html.contains("Không tìm thấy hồ sơ"))
            #expect(try await Self.get(app, "/tra-cuu?code=\(code)&digits=12").html.contains(#"aria-invalid="true""#))

            // Registration names what is wrong next to the field, and keeps what was typed (not the password).
            let bad = try await Self.post(app, "/dang-ky",
                                          "csrf=x&fullName=Ng%C3%B4+Th%E1%BB%8B+Hoa&citizenId=999190012345&phone=0912000111&username=hoa.ngo&password=mat-khau-dai",
                                          cookie: "__Host-motcua_csrf=x")
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"id="citizenId-error""#) && bad.html.contains("Ngô Thị Hoa"))
            #expect(!bad.html.contains("mat-khau-dai"))
            let good = try await Self.post(app, "/dang-ky",
                                           "csrf=x&fullName=Ng%C3%B4+Th%E1%BB%8B+Hoa&citizenId=001190012399&phone=0912000111&username=hoa.ngo&password=mat-khau-dai",
                                           cookie: "__Host-motcua_csrf=x")
            #expect(good.status == .seeOther && good.headers[.location] == "/dang-nhap?registered=1")

            // An unknown page is a page in Vietnamese with a way back; the API still answers problems.
            let missing = try await Self.get(app, "/khong-co")
            #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.html.contains("Quay lại") && missing.html.contains(#"lang="vi""#))
            #expect(try await app.call(.get, "/api/v1/khong-co", as: nil).headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func everyTemplateAndStringTableIsComplete() {
        for name in ["layout", "home", "procedure", "track", "login", "register", "mine", "inbox", "dossier", "error", "apply", "leader"] {
            #expect(Templates.library.getTemplate(named: name) != nil, "template \(name)")
        }
        #expect(Set(Language.vi.strings.keys) == Set(Language.en.strings.keys) && Language.vi.strings.count > 50)
    }
}
