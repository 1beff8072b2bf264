import Hummingbird
import MotCuaStore
import SQLKit

/// Runs a create in one transaction together with its `Idempotency-Key` record, so a retry gets
/// the first response (status and body) and nothing is created twice (`Idempotency.once`). `create` returns the JSON body.
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
        try await Idempotency.once(idempotency, in: database) { db in .init(status: 201, body: try await create(db)) }
    }
    return Response.json(stored.body, status: .init(code: stored.status), headers: [.location: location(stored.body)])
}
