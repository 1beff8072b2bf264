/// Lower-case hexadecimal digits, by value (digests, tokens, JSON's `\u00XX`).
let hexDigits = Array("0123456789abcdef".utf8)

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, as digests and tokens are written.
    /// By table, not `String(format:)`: every request hashes its session token, and formatting
    /// 32 strings a digest showed in the write profile.
    public var hex: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
