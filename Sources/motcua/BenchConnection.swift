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
        send(Self.request(method: method, path: path, headers: headers, body: body))
    }

    /// Sends a request already built by `request(method:path:headers:body:)` and reads its reply.
    func send(_ request: [UInt8]) -> BenchLoad.Reply {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        // A connection the server closed while idle fails on first use: one fresh retry.
        for attempt in 0..<2 {
            if handle < 0, !connectNow() { return BenchLoad.Reply(status: 0, seconds: elapsed(), body: "") }
            if writeAll(request), let reply = readReply() {
                if reply.closing { reset() }
                return BenchLoad.Reply(status: reply.status, seconds: elapsed(), body: reply.body)
            }
            reset()
            if attempt == 1 || elapsed() > Double(timeout) { break }
        }
        return BenchLoad.Reply(status: 0, seconds: elapsed(), body: "")
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

    /// One reply, framed by `BenchFraming`; nil when the connection ended or timed out first.
    private func readReply() -> (status: Int, body: String, closing: Bool)? {
        while true {
            if let (status, headEnd, length) = BenchFraming.frame(pending) {
                let body = BenchFraming.body(pending, headEnd: headEnd, length: length)
                let closing = BenchFraming.hasHeader(pending[..<headEnd], "connection", value: "close")
                pending.removeFirst(length)
                return (status, String(decoding: body, as: UTF8.self), closing)
            }
            if !fill() { return nil }
        }
    }
}
