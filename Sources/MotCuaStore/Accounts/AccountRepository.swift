import Foundation
import MotCuaCore
import SQLKit

/// An account as the sign-in check needs it: the hash and the failure counters stay in the store.
struct Credentials: Sendable {
    let account: Account
    let passwordHash: String
    let failedLogins: Int
}

/// Accounts, their agencies and their sign-in counters. Writes take the caller's transaction.
public enum AccountRepository {
    static let columns = ["id", "username", "full_name", "role", "citizen_id", "phone", "email", "locked_until_ms", "version"]

    /// Creates the account; a taken username is a duplicate and nothing is written.
    static func create(_ draft: AccountDraft, passwordHash: String, in db: any SQLDatabase) async throws -> Account {
        if try await db.select().column("id").from("accounts").where("username", .equal, draft.username).first() != nil {
            throw StoreError.duplicate("Tên đăng nhập \(draft.username)")
        }
        for agency in draft.agencies where try await AgencyRepository.find(agency, in: db) == nil {
            throw StoreError.invalid([FieldIssue("agencies", "unknown", "Không có cơ quan \(agency)")])
        }
        let account = Account(id: UUID().uuidString.lowercased(), username: draft.username, fullName: draft.fullName, role: draft.role,
                              agencies: draft.agencies, citizenId: draft.citizenId, phone: draft.phone, email: draft.email)
        try await db.insert(into: "accounts")
            .columns("id", "username", "full_name", "role", "password_hash", "citizen_id", "phone", "email", "failed_logins",
                     "version", "created_at", "updated_at")
            .values(SQLBind(account.id), SQLBind(account.username), SQLBind(account.fullName), SQLBind(account.role.rawValue),
                    SQLBind(passwordHash), SQLBind(account.citizenId), SQLBind(account.phone), SQLBind(account.email), SQLBind(0),
                    SQLBind(1), SQLBind(now()), SQLBind(now()))
            .run()
        for agency in account.agencies {
            try await db.insert(into: "account_agencies").columns("account_id", "agency_code")
                .values(SQLBind(account.id), SQLBind(agency)).run()
        }
        return account
    }

    static func find(id: String, in db: any SQLDatabase) async throws -> Account? {
        guard let row = try await db.select().columns(selected(db)).from("accounts").where("id", .equal, id).first()
        else { return nil }
        return try decode(row)
    }

    static func credentials(username: String, in db: any SQLDatabase) async throws -> Credentials? {
        guard let row = try await db.select().columns(selected(db, extra: ["password_hash", "failed_logins"]))
            .from("accounts").where("username", .equal, username).first()
        else { return nil }
        return Credentials(account: try decode(row), passwordHash: try row.decode(column: "password_hash", as: String.self),
                           failedLogins: try row.decode(column: "failed_logins", as: Int.self))
    }

    /// Accounts in username order, optionally only those of some agencies, keyset-paged by username.
    static func list(agencies: Set<String>?, after: String?, limit: Int, in db: any SQLDatabase) async throws -> [Account] {
        var query = db.select().columns(selected(db)).from("accounts")
        if let agencies {
            query = query.where(SQLColumn("id"), .in, SQLGroupExpression(
                db.select().column("account_id").from("account_agencies").where("agency_code", .in, Array(agencies).sorted()).select))
        }
        if let after { query = query.where("username", .greaterThan, after) }
        return try await query.orderBy("username").limit(limit).all().map(decode)
    }

    /// Counts a failure; at `lockAfter` consecutive failures the account locks until `until`.
    static func recordFailure(id: String, lockAfter: Int, until: Date, in db: any SQLDatabase) async throws -> Date? {
        let failures = try await db.update("accounts").set(SQLIdentifier("failed_logins"), to: SQLRaw("failed_logins + 1"))
            .where("id", .equal, id).returning("failed_logins").first(decodingColumn: "failed_logins", as: Int.self) ?? 0
        guard failures >= lockAfter else { return nil }
        try await db.update("accounts").set("locked_until_ms", to: SQLBind(StoredTime.ms(until))).set("failed_logins", to: SQLBind(0))
            .where("id", .equal, id).run()
        return until
    }

    /// Read inside the sign-in transaction; on PostgreSQL the row is locked until it ends.
    static func lockedUntil(id: String, in db: any SQLDatabase) async throws -> Date? {
        var query = db.select().column("locked_until_ms").from("accounts").where("id", .equal, id)
        if db.dialect.name == "postgresql" { query = query.for(.update) }
        return try await query.first(decodingColumn: "locked_until_ms", as: Int64?.self)?
            .map(StoredTime.date)
    }

    static func recordSuccess(id: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("failed_logins", to: SQLBind(0)).set("locked_until_ms", to: SQLLiteral.null)
            .where("id", .equal, id).run()
    }

    /// Lifts a lock-out now and clears the failure count.
    static func unlock(id: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("failed_logins", to: SQLBind(0)).set("locked_until_ms", to: SQLLiteral.null)
            .set("version", to: SQLRaw("version + 1")).set("updated_at", to: SQLBind(now()))
            .where("id", .equal, id).run()
        ReferenceWrites.happened(.sessions)
    }

    /// The account columns and, in the same row, its agency codes joined by commas (a code has
    /// none): one query where a separate agencies query per account was two, or N + 1 in a list.
    static func selected(_ db: any SQLDatabase, extra: [String] = []) -> [any SQLExpression] {
        let join = db.dialect.name == "postgresql" ? "string_agg" : "group_concat"
        let agencies = SQLRaw("(SELECT \(join)(agency_code, ',') FROM account_agencies WHERE account_agencies.account_id = accounts.id) AS agency_list")
        return (columns + extra).map { SQLColumn($0, table: "accounts") } + [agencies]
    }

    static func decode(_ row: any SQLRow) throws -> Account {
        let agencies = (try row.decode(column: "agency_list", as: String?.self) ?? "").split(separator: ",").map(String.init).sorted()
        return Account(
            id: try row.decode(column: "id", as: String.self), username: try row.decode(column: "username", as: String.self),
            fullName: try row.decode(column: "full_name", as: String.self),
            role: DossierRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .citizen,
            agencies: agencies, citizenId: try row.decode(column: "citizen_id", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self), email: try row.decode(column: "email", as: String?.self),
            lockedUntil: try row.decode(column: "locked_until_ms", as: Int64?.self).map(StoredTime.date),
            version: try row.decode(column: "version", as: Int.self))
    }
}
