import Foundation

/// One thing wrong with an input, addressed by its path (`steps[2].budgetWorkingHours`) and a
/// stable code, with a Vietnamese message for people. The API turns these into a 422.
public struct FieldIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public let path: String
    public let code: String
    public let message: String

    public init(_ path: String, _ code: String, _ message: String) {
        self.path = path
        self.code = code
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Thrown by a domain operation whose input has issues; nothing was written.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

/// Collects issues while checking a value, then throws them all at once.
public struct Validator {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func add(_ path: String, _ code: String, _ message: String) {
        issues.append(FieldIssue(path, code, message))
    }

    public mutating func require(_ condition: Bool, _ path: String, _ code: String, _ message: @autoclosure () -> String) {
        if !condition { add(path, code, message()) }
    }

    /// A required, trimmed text of at most `maxLength` characters. The path is made only for an
    /// issue, and the characters counted only when the bytes could be too many: every submission
    /// checks its applicant this way.
    public mutating func text(_ value: String, _ path: @autoclosure () -> String, maxLength: Int = 500) {
        if value.isBlank {
            add(path(), "required", "Không được để trống")
        } else if value.utf8.count > maxLength, value.count > maxLength {
            add(path(), "too_long", "Tối đa \(maxLength) ký tự")
        }
    }

    public func check() throws {
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}

extension String {
    /// Empty once trimmed of `CharacterSet.whitespacesAndNewlines`, without Foundation's bridge
    /// to `NSString` (a percent of the server's work when each submission went through it).
    public var isBlank: Bool { unicodeScalars.allSatisfy(\.isWhitespaceOrNewline) }
}

extension Unicode.Scalar {
    /// In `CharacterSet.whitespacesAndNewlines`: the separators (general category Z), tab, line
    /// feed, vertical tab, form feed, carriage return and next line; and, as Foundation still
    /// has it, the zero-width space (a separator in older Unicode).
    var isWhitespaceOrNewline: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x200B: return true
        case 0..<0x80: return false
        default:
            switch properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }
}
