import Foundation

/// A person who signs in: a citizen, or an officer of one or more agencies, or an administrator.
/// The password hash never leaves the store.
public struct Account: Codable, Hashable, Sendable {
    public let id: String
    public var username: String
    public var fullName: String
    public var role: DossierRole
    /// The agencies an officer or agency administrator belongs to; empty for citizens and the system administrator.
    public var agencies: [String]
    public var citizenId: String?
    public var phone: String?
    public var email: String?
    /// Set after repeated failed sign-ins; an administrator may lift it earlier.
    public var lockedUntil: Date?
    public var version: Int

    public init(id: String, username: String, fullName: String, role: DossierRole, agencies: [String] = [], citizenId: String? = nil,
                phone: String? = nil, email: String? = nil, lockedUntil: Date? = nil, version: Int = 1) {
        self.id = id
        self.username = username
        self.fullName = fullName
        self.role = role
        self.agencies = agencies
        self.citizenId = citizenId
        self.phone = phone
        self.email = email
        self.lockedUntil = lockedUntil
        self.version = version
    }

    public var actor: DossierActor { DossierActor(id: id, role: role) }
}

/// What a registration or an administrator sends to open an account.
public struct AccountDraft: Codable, Hashable, Sendable {
    public var username: String
    public var password: String
    public var fullName: String
    public var role: DossierRole
    public var agencies: [String]
    public var citizenId: String?
    public var phone: String?
    public var email: String?

    public init(username: String, password: String, fullName: String, role: DossierRole, agencies: [String] = [],
                citizenId: String? = nil, phone: String? = nil, email: String? = nil) {
        self.username = username
        self.password = password
        self.fullName = fullName
        self.role = role
        self.agencies = agencies
        self.citizenId = citizenId
        self.phone = phone
        self.email = email
    }

    static let usernameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789._-@")

    /// Lower-cases the username and normalises the citizen id and phone, or throws every issue.
    public func validated(currentYear: Int) throws -> AccountDraft {
        var v = Validator()
        var result = self
        result.username = username.trimmingCharacters(in: .whitespaces).lowercased()
        result.fullName = fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(3...64).contains(result.username.count) || !result.username.allSatisfy(Self.usernameCharacters.contains) {
            v.add("username", "format", "Tên đăng nhập 3–64 ký tự: chữ thường không dấu, số, . _ - @")
        }
        // bcrypt reads at most 72 bytes: a longer password would be cut without the user knowing.
        if password.count < 8 {
            v.add("password", "too_short", "Mật khẩu tối thiểu 8 ký tự")
        } else if password.utf8.count > 72 {
            v.add("password", "too_long", "Mật khẩu tối đa 72 byte")
        } else if password.lowercased() == result.username {
            v.add("password", "same_as_username", "Mật khẩu không được trùng tên đăng nhập")
        }
        v.text(result.fullName, "fullName", maxLength: 200)
        if let citizenId {
            switch CitizenID.parse(citizenId, currentYear: currentYear) {
            case .success(let id): result.citizenId = id.digits
            case .failure(let problem): v.add("citizenId", problem.code, problem.description)
            }
        } else if role == .citizen {
            v.add("citizenId", "required", "Cần số định danh cá nhân")
        }
        if let phone {
            if let parsed = PhoneNumber.parse(phone) { result.phone = parsed.digits } else {
                v.add("phone", "phone.format", "Số điện thoại không đúng định dạng Việt Nam")
            }
        }
        if let email, !(email.contains("@") && email.count <= 254 && !email.contains(" ")) {
            v.add("email", "format", "Địa chỉ thư điện tử không hợp lệ")
        }
        switch role {
        case .citizen, .systemAdmin:
            v.require(agencies.isEmpty, "agencies", "not_allowed", "Chỉ cán bộ thuộc cơ quan")
        case .intakeOfficer, .processingOfficer, .leader, .agencyAdmin:
            v.require(!agencies.isEmpty, "agencies", "required", "Cán bộ phải thuộc ít nhất một cơ quan")
        }
        result.agencies = Array(Set(agencies)).sorted()
        try v.check()
        return result
    }
}

/// A refused sign-in or a request without the right: a stable code and a Vietnamese message.
public enum AuthError: Error, Hashable, Sendable {
    /// No valid session or token (401).
    case unauthenticated
    /// Wrong username or password, without saying which (401).
    case invalidCredentials
    /// Too many failures: locked until the instant, or until an administrator unlocks it (423).
    case locked(until: Date)
    /// Too many attempts from this account or address; try again after the seconds (429).
    case rateLimited(retryAfterSeconds: Int)
    /// Signed in, but not allowed (403).
    case forbidden(String)

    public var code: String {
        switch self {
        case .unauthenticated: return "auth.unauthenticated"
        case .invalidCredentials: return "auth.invalid_credentials"
        case .locked: return "auth.locked"
        case .rateLimited: return "auth.rate_limited"
        case .forbidden: return "auth.forbidden"
        }
    }

    public var message: String {
        switch self {
        case .unauthenticated: return "Cần đăng nhập"
        case .invalidCredentials: return "Tên đăng nhập hoặc mật khẩu không đúng"
        case .locked(let until):
            return "Tài khoản tạm khóa do đăng nhập sai nhiều lần, đến \(WorkingCalendar.iso8601(until)); liên hệ quản trị để mở khóa sớm"
        case .rateLimited(let seconds): return "Quá nhiều lần thử; thử lại sau \(seconds) giây"
        case .forbidden(let detail): return detail
        }
    }
}
