import Dispatch
import Foundation
import HummingbirdBcrypt
import MotCuaCore
import SQLKit

/// How sign-in defends itself: bcrypt work factor, lock-out and session lifetimes.
public struct LoginPolicy: Sendable, Equatable {
    /// bcrypt cost (2^cost rounds); 12 in service, lower only in tests.
    public var bcryptCost: UInt8 = 12
    /// Consecutive failures that lock an account.
    public var lockAfterFailures = 5
    public var lockDuration: TimeInterval = 15 * 60
    public var cookieLifetime: TimeInterval = 8 * 3600
    public var bearerLifetime: TimeInterval = 30 * 24 * 3600

    public init(bcryptCost: UInt8 = 12, lockAfterFailures: Int = 5, lockDuration: TimeInterval = 15 * 60) {
        self.bcryptCost = bcryptCost
        self.lockAfterFailures = lockAfterFailures
        self.lockDuration = lockDuration
    }
}

/// A session handed out at sign-in: the token is shown this once.
public struct SignedIn: Sendable {
    public let account: Account
    public let token: String
    public let expires: Date
}

/// Accounts and sign-in. Who may open, see and unlock which account is decided here.
public struct AccountService: Sendable {
    public let database: Database
    public let policy: LoginPolicy
    /// Checked against when the username is unknown, so the answer takes as long either way.
    private let decoyHash: String
    /// The accounts behind the sessions asked for lately, shared by the copies of this service.
    let sessions: SessionCache

    public init(database: Database, policy: LoginPolicy = LoginPolicy()) {
        self.init(database: database, policy: policy, sessions: SessionCache())
    }

    init(database: Database, policy: LoginPolicy, sessions: SessionCache) {
        self.database = database
        self.policy = policy
        self.decoyHash = Bcrypt.hash("motcua-decoy-password", cost: policy.bcryptCost)
        self.sessions = sessions
    }

    /// Opens an account. Anyone may register a citizen account; a system administrator opens any
    /// account; an agency administrator opens officer accounts of their own agencies.
    public func register(_ draft: AccountDraft, by creator: Account?, at now: Date = Date()) async throws -> Account {
        let draft = try draft.validated(currentYear: WorkingCalendar.local(now).0.year)
        try Self.mayOpen(draft, creator)
        let hash = await Self.offloaded { Bcrypt.hash(draft.password, cost: self.policy.bcryptCost) }
        return try await database.transaction { db in try await AccountRepository.create(draft, passwordHash: hash, in: db) }
    }

    static func mayOpen(_ draft: AccountDraft, _ creator: Account?) throws {
        // Registering a citizen is open to anyone, so being signed in changes nothing.
        if draft.role == .citizen { return }
        switch creator?.role {
        case nil:
            throw AuthError.forbidden("Tự đăng ký chỉ mở tài khoản công dân")
        case .systemAdmin?:
            return
        case .agencyAdmin?:
            guard [.intakeOfficer, .processingOfficer, .leader].contains(draft.role), Set(draft.agencies).isSubset(of: creator!.agencies) else {
                throw AuthError.forbidden("Quản trị cơ quan chỉ mở tài khoản cán bộ của cơ quan mình")
            }
        default:
            throw AuthError.forbidden("Không có quyền mở tài khoản")
        }
    }

    /// Checks the password and opens a session. Unknown usernames and wrong passwords get the
    /// same answer; a locked account is refused before its password is even checked. (That a
    /// name is locked does show it exists, after five failures on it and within the rate limits:
    /// people must learn why they cannot sign in.)
    public func signIn(username: String, password: String, kind: SessionRepository.Kind, at now: Date = Date()) async throws -> SignedIn {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        let found = try await database.withConnection { db in try await AccountRepository.credentials(username: name, in: db) }
        guard let found else {
            _ = await Self.offloaded { Bcrypt.verify(password, hash: self.decoyHash) }
            throw AuthError.invalidCredentials
        }
        if let until = found.account.lockedUntil, until > now { throw AuthError.locked(until: until) }
        let matches = await Self.offloaded { Bcrypt.verify(password, hash: found.passwordHash) }
        let policy = self.policy
        guard matches else {
            let lockedUntil = try await database.transaction { db -> Date? in
                guard let until = try await AccountRepository.recordFailure(
                    id: found.account.id, lockAfter: policy.lockAfterFailures, until: now.addingTimeInterval(policy.lockDuration), in: db)
                else { return nil }
                try await SessionRepository.deleteAll(accountId: found.account.id, in: db)
                return until
            }
            if let lockedUntil { throw AuthError.locked(until: lockedUntil) }
            throw AuthError.invalidCredentials
        }
        let expires = now.addingTimeInterval(kind == .cookie ? policy.cookieLifetime : policy.bearerLifetime)
        return try await database.transaction { db in
            // A lock set while this password was being checked wins: the success is not recorded.
            if let until = try await AccountRepository.lockedUntil(id: found.account.id, in: db), until > now {
                throw AuthError.locked(until: until)
            }
            try await AccountRepository.recordSuccess(id: found.account.id, in: db)
            let token = try await SessionRepository.create(accountId: found.account.id, kind: kind, now: now, expires: expires, in: db)
            var account = found.account
            account.lockedUntil = nil
            return SignedIn(account: account, token: token, expires: expires)
        }
    }

    public func signOut(token: String) async throws {
        try await database.transaction { db in try await SessionRepository.delete(token: token, in: db) }
        sessions.forget(token: token)
    }

    /// The account behind a session token, if it is still valid.
    public func account(forToken token: String, at now: Date = Date()) async throws -> Account? {
        try await sessions.account(forToken: token, at: now, in: database)
    }

    /// An account its owner or an administrator over it may see; anyone else gets "not found".
    public func find(_ id: String, by viewer: Account) async throws -> Account {
        guard let account = try await database.withConnection({ db in try await AccountRepository.find(id: id, in: db) }),
              account.id == viewer.id || Self.administers(viewer, account)
        else { throw StoreError.notFound("account \(id)") }
        return account
    }

    /// Accounts an administrator manages: all for the system administrator, their agencies' for an agency administrator.
    public func list(by viewer: Account, after: String?, limit: Int) async throws -> [Account] {
        let scope: Set<String>?
        switch viewer.role {
        case .systemAdmin: scope = nil
        case .agencyAdmin: scope = Set(viewer.agencies)
        default: throw AuthError.forbidden("Chỉ quản trị xem danh sách tài khoản")
        }
        return try await database.withConnection { db in try await AccountRepository.list(agencies: scope, after: after, limit: limit, in: db) }
    }

    /// Lifts a lock-out before it expires.
    public func unlock(_ id: String, by viewer: Account) async throws -> Account {
        guard viewer.role == .systemAdmin || viewer.role == .agencyAdmin else {
            throw AuthError.forbidden("Chỉ quản trị mở khóa tài khoản")
        }
        return try await database.transaction { db in
            guard let account = try await AccountRepository.find(id: id, in: db), Self.administers(viewer, account) else {
                throw StoreError.notFound("account \(id)")
            }
            try await AccountRepository.unlock(id: id, in: db)
            return try await AccountRepository.find(id: id, in: db) ?? account
        }
    }

    static func administers(_ admin: Account, _ account: Account) -> Bool {
        switch admin.role {
        case .systemAdmin: return true
        case .agencyAdmin:
            return account.role != .citizen && account.role != .systemAdmin && !Set(account.agencies).isDisjoint(with: admin.agencies)
        default: return false
        }
    }

    /// bcrypt takes a quarter of a second at cost 12: run it off the cooperative threads that serve requests.
    static func offloaded<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}

extension Account {
    /// The account as the dossier service sees it.
    public var viewer: Viewer { Viewer(actor: actor, agencies: Set(agencies)) }
}
