import MotCuaCore

/// What a store operation refused, in terms the API maps to a status: nothing was written.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    /// The row exists with another version than the caller read (409 with the current version).
    case staleVersion(current: Int)
    /// A unique key is taken.
    case duplicate(String)
    /// An `Idempotency-Key` reused for a different request.
    case idempotencyKeyReused
    case invalid([FieldIssue])
    /// Other records refer to it; it cannot be removed.
    case inUse(String)

    public var description: String {
        switch self {
        case .notFound(let what): return "\(what) not found"
        case .staleVersion(let current): return "stale version; current is \(current)"
        case .duplicate(let what): return "\(what) already exists"
        case .idempotencyKeyReused: return "idempotency key reused for a different request"
        case .invalid(let issues): return issues.map(\.description).joined(separator: "; ")
        case .inUse(let detail): return detail
        }
    }
}
