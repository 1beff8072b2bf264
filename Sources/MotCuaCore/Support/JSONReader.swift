/// Reads JSON written by `JSONText` (or by the encoders it matches), for the documents read so
/// often that `JSONDecoder`'s own work shows: a dossier's state and applicant, read at every step.
/// It reads standard JSON with an object's keys in sorted order, as those writers put them, and
/// gives up (nil) on anything else (keys out of order or repeated, where the decoder keeps the
/// first; nesting deeper than the decoder's limit); a reader built on it gives up on anything it
/// does not expect. The caller then asks `JSONDecoder`, which gives the value or says what is wrong.
public struct JSONReader: ~Copyable {
    /// Thrown to give up; `read` turns it into nil.
    public struct Unexpected: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The value `body` reads from `text`, which must hold that one value; nil if it gave up.
    public static func read<T>(_ text: String, _ body: (inout JSONReader) throws -> T) -> T? {
        var text = text
        return text.withUTF8 { buffer in
            var reader = JSONReader(buffer)
            guard let value = try? body(&reader) else { return nil }
            reader.skipSpace()
            return reader.index == buffer.count ? value : nil
        }
    }

    /// An object: `field` is called with each key and must read its value (or `skip()` it).
    public mutating func object(_ field: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        try nest()
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "}") { index += 1; return }
        var previous: String?
        repeat {
            let key = try string()
            if let previous, !previous.utf8.lexicographicallyPrecedes(key.utf8) { throw Unexpected() }
            previous = key
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
        } while try more(closing: UInt8(ascii: "}"))
    }

    /// An array, each element read by `element`.
    public mutating func array<Element>(_ element: (inout JSONReader) throws -> Element) throws -> [Element] {
        try expect(UInt8(ascii: "["))
        try nest()
        defer { depth -= 1 }
        var elements: [Element] = []
        if try peek() == UInt8(ascii: "]") { index += 1; return elements }
        repeat { elements.append(try element(&self)) } while try more(closing: UInt8(ascii: "]"))
        return elements
    }

    /// nil for `null`, else what `read` reads: an optional field as `decodeIfPresent` sees it.
    public mutating func optional<T>(_ read: (inout JSONReader) throws -> T) throws -> T? {
        if try peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try read(&self)
    }

    public mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        guard index < bytes.count else { throw Unexpected() }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index - 1]))
        }
        var unescaped = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw Unexpected() }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return try unescaped.withUnsafeBufferPointer(Self.text)
            case UInt8(ascii: "\\"): try unescape(into: &unescaped)
            case 0..<0x20: throw Unexpected()
            default: unescaped.append(byte)
            }
        }
    }

    public mutating func int() throws -> Int {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let start = index
        var value = 0
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { throw Unexpected() }
            value = sum
            index += 1
        }
        // No digits, a leading zero, or a fraction or exponent: left to the decoder.
        guard index > start, bytes[start] != UInt8(ascii: "0") || index == start + 1,
              index == bytes.count || !Self.isNumberByte(bytes[index]) else { throw Unexpected() }
        return negative ? -value : value
    }

    public mutating func double() throws -> Double {
        skipSpace()
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        let number = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard Self.isJSONNumber(number), let value = Double(String(decoding: number, as: UTF8.self)),
              value.isFinite else { throw Unexpected() }
        return value
    }

    /// JSON's grammar, which `Double(_:)` is looser than: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private static func isJSONNumber(_ number: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func isDigit(_ at: Int) -> Bool { at < number.count && number[at] &- UInt8(ascii: "0") < 10 }
        func digits() -> Bool {
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
            return true
        }
        if i < number.count, number[i] == UInt8(ascii: "-") { i += 1 }
        if i < number.count, number[i] == UInt8(ascii: "0") { i += 1 } else if !digits() { return false }
        if i < number.count, number[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < number.count, number[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < number.count, number[i] == UInt8(ascii: "+") || number[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == number.count
    }

    public mutating func bool() throws -> Bool {
        if try peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// Passes over one value of any kind (a key the reader does not know, as the decoder ignores it).
    public mutating func skip() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try object { reader, _ in try reader.skip() }
        case UInt8(ascii: "["): _ = try array { reader in try reader.skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try double()
        }
    }

    /// A String's bytes are valid UTF-8, cut here only at ASCII quotes, and escapes add whole
    /// scalars: nothing to check.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }

    /// One level deeper; past the decoder's own limit the decoder is left to say so.
    private mutating func nest() throws {
        depth += 1
        guard depth <= 512 else { throw Unexpected() }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw Unexpected() }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Unexpected() }
        index += 1
    }

    /// After an element: true if a comma says another follows, false at the closing bracket.
    private mutating func more(closing: UInt8) throws -> Bool {
        let byte = try peek()
        index += 1
        if byte == UInt8(ascii: ",") { return true }
        guard byte == closing else { throw Unexpected() }
        return false
    }

    private mutating func literal(_ word: StaticString) throws {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Unexpected() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Unexpected() }
        index += count
    }

    /// After a backslash.
    private mutating func unescape(into text: inout [UInt8]) throws {
        guard index < bytes.count else { throw Unexpected() }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var unit = try hex4()
            if (0xD800..<0xDC00).contains(unit) {
                // A surrogate pair: the low half must follow as another \u escape.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw Unexpected()
                }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Unexpected() }
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(unit) else { throw Unexpected() }
            text.append(contentsOf: String(Character(scalar)).utf8)
        default: throw Unexpected()
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Unexpected() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unexpected()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
