import Foundation
import MotCuaCore

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

    /// A dossier's state as stored, written by hand byte for byte as `encoder` writes it (every
    /// submission and step writes one).
    static func text(of state: DossierState) -> String { state.jsonText(capacity: 768).text }

    static func text(of applicant: Applicant) -> String { applicant.jsonText(capacity: 256).text }

    /// A dossier's state as stored: read by hand, or by `JSONDecoder` where the hand reader gives up.
    static func state(_ text: String) throws -> DossierState {
        try DossierState(storedJSON: text) ?? JSONDecoder().decode(DossierState.self, from: Data(text.utf8))
    }

    static func applicant(_ text: String) throws -> Applicant {
        try Applicant(storedJSON: text) ?? JSONDecoder().decode(Applicant.self, from: Data(text.utf8))
    }

    /// A flat object of strings (an event's data), written as `encoder` writes it: every command
    /// writes one under SQLite's write lock, where `JSONEncoder`'s set-up cost 2 % of the writer thread.
    static func object(_ fields: [String: String]) -> String {
        var json = JSONText(capacity: 64)
        json.object { json in
            for (key, value) in fields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) { json.field(key, value) }
        }
        return json.text
    }
}

/// Instants in `*_ms` BIGINT columns: milliseconds since 1970, the same on both databases.
enum StoredTime {
    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func ms(_ date: Date?) -> Int64? { date.map(ms) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}

/// The current instant as stored in `*_at` text columns (ISO 8601, UTC).
func now() -> String { Date().formatted(.iso8601) }
