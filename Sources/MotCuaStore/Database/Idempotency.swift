import Foundation
import SQLKit

/// Remembers the first response to a create that carried an `Idempotency-Key`, in the same
/// transaction as the create, so a retry gets that response and nothing is created twice.
public enum Idempotency {
    public struct Request: Sendable {
        public let scope: String
        public let key: String
        /// A digest of what was asked, so the same key with a different request is refused.
        public let requestHash: String

        public init(scope: String, key: String, requestHash: String) {
            self.scope = scope
            self.key = key
            self.requestHash = requestHash
        }
    }

    public struct StoredResponse: Sendable, Equatable {
        public let status: Int
        public let body: String

        public init(status: Int, body: String) {
            self.status = status
            self.body = body
        }
    }

    public static func lookup(_ request: Request, in db: any SQLDatabase) async throws -> StoredResponse? {
        guard let row = try await db.select().columns("request_hash", "status", "response").from("idempotency_keys")
            .where("scope", .equal, request.scope).where("idempotency_key", .equal, request.key).first()
        else { return nil }
        guard try row.decode(column: "request_hash", as: String.self) == request.requestHash else {
            throw StoreError.idempotencyKeyReused
        }
        return StoredResponse(status: try row.decode(column: "status", as: Int.self),
                              body: try row.decode(column: "response", as: String.self))
    }

    /// Takes the key for this transaction before the create runs: returns nil when it is ours,
    /// or the first response when the key was used before. A concurrent request with the same key
    /// waits on the unique key until the first commits (PostgreSQL) or queues behind the write
    /// lock (SQLite), then gets that first response, so two racing retries never both create.
    public static func claim(_ request: Request, in db: any SQLDatabase) async throws -> StoredResponse? {
        let claimed = try await db.cached("idempotency.claim", [request.scope, request.key, request.requestHash, 0, "", now()]) { db, v in
            db.insert(into: "idempotency_keys")
                .columns("scope", "idempotency_key", "request_hash", "status", "response", "created_at").values(v)
                .ignoringConflicts(with: ["scope", "idempotency_key"]).returning("scope")
        }.all()
        if !claimed.isEmpty { return nil }
        return try await lookup(request, in: db)
    }

    /// Records the response of a create whose key was claimed in the same transaction (held with
    /// the create's writes under `withDeferredWrites`).
    public static func complete(_ request: Request, _ response: StoredResponse, in db: any SQLDatabase) async throws {
        try await db.write(db.cached("idempotency.complete", [response.status, response.body, request.scope, request.key]) { db, v in
            db.update("idempotency_keys").set("status", to: v[0]).set("response", to: v[1])
                .where("scope", .equal, v[2]).where("idempotency_key", .equal, v[3])
        }.query, into: "idempotency_keys")
    }

    public static func save(_ request: Request, _ response: StoredResponse, in db: any SQLDatabase) async throws {
        try await db.insert(into: "idempotency_keys")
            .columns("scope", "idempotency_key", "request_hash", "status", "response", "created_at")
            .values(SQLBind(request.scope), SQLBind(request.key), SQLBind(request.requestHash), SQLBind(response.status),
                    SQLBind(response.body), SQLBind(now()))
            .run()
    }
}
