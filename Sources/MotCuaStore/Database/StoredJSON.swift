import Foundation

/// How documents are written into TEXT columns: sorted keys (stable for comparisons and diffs),
/// Vietnamese and slashes unescaped.
enum StoredJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The current instant as stored in `*_at` text columns (ISO 8601, UTC).
func now() -> String { Date().formatted(.iso8601) }
