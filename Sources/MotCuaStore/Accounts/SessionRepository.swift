import Crypto
import Foundation
import MotCuaCore
import SQLKit

/// Sign-in sessions. The token goes to the client once; the table keeps only its SHA-256.
public enum SessionRepository {
    public enum Kind: String, Sendable, Codable {
        /// A browser session in an HTTP-only cookie.
        case cookie
        /// An API client's bearer token.
        case bearer
    }

    /// A new random token (256 bits, base64url) for the account, valid until `expires`.
    static func create(accountId: String, kind: Kind, now: Date, expires: Date, in db: any SQLDatabase) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64URL
        try await db.insert(into: "sessions").columns("token_hash", "account_id", "kind", "created_ms", "expires_ms")
            .values(SQLBind(hash(token)), SQLBind(accountId), SQLBind(kind.rawValue),
                    SQLBind(StoredTime.ms(now)), SQLBind(StoredTime.ms(expires)))
            .run()
        return token
    }

    /// The account behind an unexpired session, with its agencies and the session's expiry, in
    /// one query: every authenticated request may ask this (`SessionCache` holds the answers).
    static func account(tokenHash: String, nowMs: Int64, in db: any SQLDatabase) async throws -> (account: Account, expiresMs: Int64)? {
        guard let row = try await db.cached("sessions.account", [tokenHash, nowMs], { db, v in
            db.select().columns(AccountRepository.selected(db) + [SQLColumn("expires_ms", table: "sessions")])
                .from("sessions")
                .join("accounts", on: SQLColumn("account_id", table: "sessions"), .equal, SQLColumn("id", table: "accounts"))
                .where(SQLColumn("token_hash", table: "sessions"), .equal, v[0])
                .where(SQLColumn("expires_ms", table: "sessions"), .greaterThan, v[1])
                .limit(1)
        }).first() else { return nil }
        return (try AccountRepository.decode(row), try row.decode(column: "expires_ms", as: Int64.self))
    }

    static func delete(token: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("token_hash", .equal, hash(token)).run()
        ReferenceWrites.happened(.sessions)
    }

    /// Ends every session of an account (after a lock-out or a password change).
    static func deleteAll(accountId: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("account_id", .equal, accountId).run()
        ReferenceWrites.happened(.sessions)
    }

    static func hash(_ token: String) -> String {
        Array(SHA256.hash(data: Data(token.utf8))).hex
    }
}
