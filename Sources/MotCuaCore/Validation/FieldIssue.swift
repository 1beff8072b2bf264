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

    /// A required, trimmed text of at most `maxLength` characters.
    public mutating func text(_ value: String, _ path: String, maxLength: Int = 500) {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(path, "required", "Không được để trống")
        } else if value.count > maxLength {
            add(path, "too_long", "Tối đa \(maxLength) ký tự")
        }
    }

    public func check() throws {
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}
