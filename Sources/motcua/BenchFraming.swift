/// HTTP/1.1 replies framed from bytes, for the bench clients: where a reply ends, its status,
/// its headers and its body, without turning the bytes into strings first.
enum BenchFraming {
    /// A whole reply at the start of `bytes`: its status, where its head ends (after the blank
    /// line) and its whole length; nil while incomplete. Bodies framed by Content-Length or chunks.
    static func frame(_ bytes: [UInt8]) -> (status: Int, headEnd: Int, length: Int)? {
        guard let headEnd = afterBlankLine(bytes) else { return nil }
        let head = bytes[..<headEnd]
        // "HTTP/1.1 201 …": the three digits after the first space.
        guard let space = head.firstIndex(of: 32), space + 3 < headEnd else { return nil }
        let status = head[(space + 1)...(space + 3)].reduce(0) { $0 * 10 + Int($1) - 48 }
        if let length = headerValue(head, "content-length").flatMap({ Int(String(decoding: $0, as: UTF8.self)) }) {
            return bytes.count >= headEnd + length ? (status, headEnd, headEnd + length) : nil
        }
        guard hasHeader(head, "transfer-encoding", value: "chunked") else { return (status, headEnd, headEnd) }
        var position = headEnd
        while let chunk = chunk(in: bytes, at: position) {
            position = chunk.end
            if chunk.data.isEmpty { return (status, headEnd, position) }
        }
        return nil
    }

    /// Where the head's blank line ends. A plain scan: `firstRange(of:)` took a sixth of the
    /// load generator's CPU, which the server under test then lacked.
    static func afterBlankLine(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            var i = 3
            while i < b.count {
                if b[i] == 10, b[i - 1] == 13, b[i - 2] == 10, b[i - 3] == 13 { return i + 1 }
                i += 1
            }
            return nil
        }
    }

    /// The body of a reply `frame` found, its chunks joined.
    static func body(_ bytes: [UInt8], headEnd: Int, length: Int) -> [UInt8] {
        guard hasHeader(bytes[..<headEnd], "transfer-encoding", value: "chunked") else { return Array(bytes[headEnd..<length]) }
        var body: [UInt8] = [], position = headEnd
        while let chunk = chunk(in: bytes, at: position), !chunk.data.isEmpty {
            body += chunk.data
            position = chunk.end
        }
        return body
    }

    /// The whole chunk starting at `position`: its data and where the next one starts.
    private static func chunk(in bytes: [UInt8], at position: Int) -> (data: ArraySlice<UInt8>, end: Int)? {
        guard let lineEnd = bytes[position...].firstRange(of: [13, 10])?.lowerBound,
              let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16)
        else { return nil }
        let end = lineEnd + 2 + size + 2
        return bytes.count >= end ? (bytes[(lineEnd + 2)..<(lineEnd + 2 + size)], end) : nil
    }

    /// The value of a header in a reply's head, trimmed, matched without regard to case.
    static func headerValue(_ head: ArraySlice<UInt8>, _ name: String) -> ArraySlice<UInt8>? {
        let wanted = Array("\r\n\(name):".utf8)
        var position = head.startIndex
        while let line = head[position...].firstIndex(of: 13) {
            guard line + wanted.count <= head.endIndex else { return nil }
            if zip(head[line..<(line + wanted.count)], wanted).allSatisfy({ lower($0) == $1 }) {
                var valueStart = line + wanted.count
                while valueStart < head.endIndex, head[valueStart] == 32 { valueStart += 1 }
                let valueEnd = head[valueStart...].firstIndex(of: 13) ?? head.endIndex
                return head[valueStart..<valueEnd]
            }
            position = line + 1
        }
        return nil
    }

    static func hasHeader(_ head: ArraySlice<UInt8>, _ name: String, value: String? = nil) -> Bool {
        guard let found = headerValue(head, name) else { return false }
        guard let value else { return true }
        return found.map(lower).starts(with: Array(value.utf8))
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
}
