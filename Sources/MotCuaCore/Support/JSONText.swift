/// JSON written by hand, byte for byte as MotCua's `JSONEncoder`s write it (sorted keys,
/// Vietnamese and slashes unescaped, an absent optional left out), for the few documents written
/// so often that the encoder's own work shows: an inbox page, an event's data. The caller writes
/// an object's keys in sorted order; tests compare each such writer with the encoder.
public struct JSONText: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// True where the next value needs no comma before it: at the start, after `{`, `[` or a key.
    private var atStart = true

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// An object whose fields `body` writes.
    public mutating func object(_ body: (inout JSONText) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    /// An array of `items`, each written by `body`.
    public mutating func array<Items: Sequence>(_ items: Items, _ body: (inout JSONText, Items.Element) -> Void) {
        open(UInt8(ascii: "["))
        for item in items { body(&self, item) }
        close(UInt8(ascii: "]"))
    }

    /// A key, whose value the next call writes.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        atStart = true
    }

    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
        atStart = false
    }

    /// A number as `JSONEncoder` writes a `Double`: its description, less a trailing ".0". It
    /// must be finite (the encoder refuses the others).
    public mutating func field(_ name: String, _ value: Double?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "JSON has no form for \(value)")
        separate()
        let text = value.description
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
        atStart = false
    }

    public mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        atStart = false
    }

    /// An array of strings, left out when nil.
    public mutating func field(_ name: String, _ values: [String]?) {
        guard let values else { return }
        key(name)
        array(values) { json, value in json.string(value) }
    }

    /// A nested value, left out when nil.
    public mutating func field<Value: JSONTextWritable>(_ name: String, _ value: Value?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    /// An array of nested values, left out when nil.
    public mutating func field<Value: JSONTextWritable>(_ name: String, _ values: [Value]?) {
        guard let values else { return }
        key(name)
        array(values) { json, value in value.write(to: &json) }
    }

    public mutating func string(_ value: String) {
        separate()
        appendString(value)
        atStart = false
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        atStart = true
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        atStart = false
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
    }

    /// As `JSONEncoder` escapes: quote, backslash, and control characters; nothing else. The
    /// runs between them are copied whole: a byte at a time, this was 5 % of the server's samples
    /// while it served inbox pages.
    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscaped(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        default: bytes += "\\u00".utf8 + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
        }
    }
}

/// A value with a hand-written JSON form, byte for byte what the encoder writes for it.
public protocol JSONTextWritable {
    func write(to json: inout JSONText)
}

extension JSONTextWritable {
    /// The value alone, as JSON.
    public func jsonText(capacity: Int = 1024) -> JSONText {
        var json = JSONText(capacity: capacity)
        write(to: &json)
        return json
    }
}
