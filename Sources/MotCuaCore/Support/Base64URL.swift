import Foundation

/// Base64 with the URL's alphabet and no padding (RFC 4648 §5), as cursors and session tokens
/// travel. Mapped byte by byte: `replacingOccurrences` goes through `NSString`, and every inbox
/// page makes a cursor.
extension Data {
    public init?(base64URL text: String) {
        var bytes = text.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        bytes += repeatElement(UInt8(ascii: "="), count: (4 - bytes.count % 4) % 4)
        self.init(base64Encoded: Data(bytes))
    }

    public var base64URL: String {
        var bytes: [UInt8] = []
        for byte in base64EncodedData() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
