import Foundation

/// One kept-alive HTTP/1.1 connection to the server under test, as a browser or a partner
/// system keeps one: requests go one after another on it, and it reconnects when the server
/// closes it. Used by one thread at a time.
final class BenchConnection: @unchecked Sendable {
    let port: Int
    let timeout: Int
    private var handle: Int32 = -1
    private var pending: [UInt8] = []
    /// Reused for every read: a fresh 64 KiB buffer per read was a visible share of the load
    /// generator's CPU, which it shares with the server under test.
    private var buffer = [UInt8](repeating: 0, count: 65536)

    init(port: Int, timeout: Int = 30) {
        self.port = port
        self.timeout = timeout
    }

    deinit { if handle >= 0 { close(handle) } }

    func send(method: String, path: String, headers: [String: String], body: String? = nil) -> BenchLoad.Reply {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        let request = Self.request(method: method, path: path, headers: headers, body: body)
        // A connection the server closed while idle fails on first use: one fresh retry.
        for attempt in 0..<2 {
            if handle < 0, !connectNow() { return BenchLoad.Reply(status: 0, seconds: elapsed(), headers: "", body: "") }
            if writeAll(request), let reply = readReply() {
                if reply.headers.lowercased().contains("\r\nconnection: close") { reset() }
                return BenchLoad.Reply(status: reply.status, seconds: elapsed(), headers: reply.headers, body: reply.body)
            }
            reset()
            if attempt == 1 || elapsed() > Double(timeout) { break }
        }
        return BenchLoad.Reply(status: 0, seconds: elapsed(), headers: "", body: "")
    }

    /// The bytes of one request, with a JSON body if there is one.
    static func request(method: String, path: String, headers: [String: String], body: String? = nil) -> [UInt8] {
        var lines = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { lines += "\(name): \(value)\r\n" }
        let payload = Array((body ?? "").utf8)
        if body != nil { lines += "Content-Type: application/json\r\n" }
        lines += "Content-Length: \(payload.count)\r\n\r\n"
        return Array(lines.utf8) + payload
    }

    private func reset() {
        if handle >= 0 { close(handle) }
        handle = -1
        pending = []
    }

    private func connectNow() -> Bool {
        handle = BenchLoad.connectLoopback(port: port, timeout: timeout) ?? -1
        return handle >= 0
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(handle, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    /// Reads more bytes into `pending`; false when the connection ended or timed out.
    private func fill() -> Bool {
        let count = read(handle, &buffer, buffer.count)
        guard count > 0 else { return false }
        pending.append(contentsOf: buffer[0..<count])
        return true
    }

    /// One response: status line and headers, then a body framed by Content-Length or chunks.
    private func readReply() -> (status: Int, headers: String, body: String)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = pending.firstRange(of: separator)?.lowerBound
            if headerEnd == nil, !fill() { return nil }
        }
        let head = String(decoding: pending[..<headerEnd!], as: UTF8.self)
        pending.removeFirst(headerEnd! + 4)
        let status = Int(head.prefix(16).split(separator: " ").dropFirst().first ?? "") ?? 0
        let lower = head.lowercased()
        var body: [UInt8] = []
        if let line = lower.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
           let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
            while pending.count < length { if !fill() { return nil } }
            body = Array(pending[..<length])
            pending.removeFirst(length)
        } else if lower.contains("transfer-encoding: chunked") {
            while true {
                var lineEnd: Int?
                while lineEnd == nil {
                    lineEnd = pending.firstRange(of: [13, 10])?.lowerBound
                    if lineEnd == nil, !fill() { return nil }
                }
                let size = Int(String(decoding: pending[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) ?? 0
                pending.removeFirst(lineEnd! + 2)
                while pending.count < size + 2 { if !fill() { return nil } }
                body += pending[..<size]
                pending.removeFirst(size + 2)
                if size == 0 { break }
            }
        }
        return (status, head, String(decoding: body, as: UTF8.self))
    }
}
