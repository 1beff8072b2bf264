import Hummingbird
import MotCuaStore
import SQLKit

/// Runs a create in one transaction together with its `Idempotency-Key` record, so a retry gets
/// the first response (status and body) and nothing is created twice. `create` returns the JSON body.
func idempotentCreate(
    _ request: Request, scope: String, body: ByteBuffer, database: Database, location: String,
    create: @escaping @Sendable (any SQLDatabase) async throws -> String
) async throws -> Response {
    try await idempotentCreate(request, scope: scope, body: body, database: database, location: { _ in location }, create: create)
}

/// The same, with the `Location` worked out from the response body (known only after the create).
func idempotentCreate(
    _ request: Request, scope: String, body: ByteBuffer, database: Database, location: @escaping @Sendable (String) -> String,
    create: @escaping @Sendable (any SQLDatabase) async throws -> String
) async throws -> Response {
    let idempotency = try Headers.idempotency(request, scope: scope, body: body)
    let stored = try await storeCall {
        try await database.transaction { db -> Idempotency.StoredResponse in
            // The create's writes and the recorded response go together (one round trip on PostgreSQL).
            try await db.withDeferredWrites { db in
                if let idempotency, let previous = try await Idempotency.claim(idempotency, in: db) { return previous }
                let response = Idempotency.StoredResponse(status: 201, body: try await create(db))
                if let idempotency { try await Idempotency.complete(idempotency, response, in: db) }
                return response
            }
        }
    }
    return Response.json(stored.body, status: .init(code: stored.status), headers: [.location: location(stored.body)])
}
