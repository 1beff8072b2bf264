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

    /// Runs `create` in one transaction with the record of its key and response, so that a key is
    /// used once. The key is not claimed first: its record is written last, with the create's other
    /// writes (one statement fewer; on PostgreSQL, one round trip fewer). A key used before makes
    /// that write fail, so the whole create rolls back and the first response is returned. A
    /// concurrent first use is waited for on the unique key (PostgreSQL) or the write lock
    /// (SQLite), so two racing retries never both create. Any other failure also returns the first
    /// response when the key already has one: a retry answers as the first request did.
    /// `made`: what `create` made alongside its answer; nil when the first request's answer was returned.
    public static func once<Made: Sendable>(
        _ request: Request?, in database: Database,
        _ create: @escaping @Sendable (any SQLDatabase) async throws -> (StoredResponse, Made)
    ) async throws -> (response: StoredResponse, made: Made?) {
        do {
            let (response, made) = try await database.transaction { db in
                try await db.withDeferredWrites { db in
                    let (response, made) = try await create(db)
                    if let request { try await record(request, response, in: db) }
                    return (response, made)
                }
            }
            return (response, made)
        } catch {
            guard let request else { throw error }
            let first: StoredResponse?
            do {
                // SQLite commits several transactions together and answers a failed one before
                // that commit, when a reader cannot yet see a first use in the same batch; its
                // writer, where the lookup then queues, can.
                first = database.kind == .sqlite
                    ? try await database.transaction { db in try await lookup(request, in: db) }
                    : try await database.withConnection { db in try await lookup(request, in: db) }
            } catch StoreError.idempotencyKeyReused {
                throw StoreError.idempotencyKeyReused
            } catch {
                first = nil
            }
            guard let first else { throw error }
            return (first, nil)
        }
    }

    /// The same, when the answer is all the caller needs.
    public static func once(_ request: Request?, in database: Database,
                            _ create: @escaping @Sendable (any SQLDatabase) async throws -> StoredResponse) async throws -> StoredResponse {
        try await once(request, in: database) { db in (try await create(db), ()) }.response
    }

    /// Records a create's key and response, held with the create's writes under `withDeferredWrites`.
    public static func record(_ request: Request, _ response: StoredResponse, in db: any SQLDatabase) async throws {
        let values: [any Encodable & Sendable] = [request.scope, request.key, request.requestHash, response.status, response.body, now()]
        try await db.write(db.cached("idempotency.record", values) { db, v in
            db.insert(into: "idempotency_keys")
                .columns("scope", "idempotency_key", "request_hash", "status", "response", "created_at").values(v)
        }.query, into: "idempotency_keys")
    }
}
