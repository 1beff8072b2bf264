import Hummingbird
import MotCuaStore
import SQLKit

/// Runs a create in one transaction together with its `Idempotency-Key` record, so a retry gets
/// the first response (status and body) and nothing is created twice (`Idempotency.once`). `create` returns the JSON body.
func idempotentCreate(
    _ request: Request, scope: String, body: ByteBuffer, database: Database, location: String,
    create: @escaping @Sendable (any SQLDatabase) async throws -> String
) async throws -> Response {
    try await idempotentCreate(request, scope: scope, body: body, database: database, replayLocation: { _ in location }) { db in
        (try await create(db), location)
    }
}

/// The same, for a create whose `Location` is known only once it has run: `create` returns the
/// body and the location; a retry answered with the first body gets `replayLocation` of it.
func idempotentCreate(
    _ request: Request, scope: String, body: ByteBuffer, database: Database, replayLocation: @escaping @Sendable (String) -> String,
    create: @escaping @Sendable (any SQLDatabase) async throws -> (body: String, location: String)
) async throws -> Response {
    let idempotency = try Headers.idempotency(request, scope: scope, body: body)
    let (stored, location) = try await storeCall {
        try await Idempotency.once(idempotency, in: database) { db in
            let created = try await create(db)
            return (Idempotency.StoredResponse(status: 201, body: created.body), created.location)
        }
    }
    return Response.json(stored.body, status: .init(code: stored.status),
                         headers: [.location: location ?? replayLocation(stored.body)])
}
