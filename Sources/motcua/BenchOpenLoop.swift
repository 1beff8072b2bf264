import Foundation

/// Open-loop load from one thread over kept-alive connections, driven by poll(2).
///
/// The load generator shares the machine's cores with the server it measures, so every cycle it
/// spends is taken from the server. A thread per connection cost two wake-ups and a request built
/// and a reply parsed as strings per request (about half a core at 4 × the saturation rate);
/// here the requests are built before the clock starts, one thread sends each when it is due on
/// a free connection, and replies are framed as bytes.
struct BenchOpenLoop {
    /// Request `i` is due at `i / rate` seconds.
    let rate: Double
    let port: Int
    let connections: Int
    let timeout: Double

    struct Outcome {
        var result = BenchSurge.Result()
        /// The bodies of the acknowledged (201) replies, to find their dossier codes afterwards.
        var acknowledgedBodies: [[UInt8]] = []
    }

    private struct Slot {
        var handle: Int32 = -1
        var input: [UInt8] = []
        var output: [UInt8] = []
        var written = 0
        /// While a request is out: when it was sent, and how late that was.
        var sentAt: UInt64 = 0
        var lateBy = 0.0
        var busy = false
        var waitsToWrite = false
    }

    func run(_ requests: [[UInt8]]) -> Outcome {
        var outcome = Outcome()
        var slots = [Slot](repeating: Slot(), count: connections)
        var free: [Int] = []
        for index in 0..<connections where open(&slots[index]) { free.append(index) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var polled = [pollfd](repeating: pollfd(fd: -1, events: 0, revents: 0), count: connections)
        let start = DispatchTime.now().uptimeNanoseconds
        let timeoutNanos = UInt64(timeout * 1e9)
        var next = 0, outstanding = 0
        func due(_ index: Int) -> UInt64 { start + UInt64(Double(index) / rate * 1e9) }

        func finish(_ index: Int, status: Int, headEnd: Int = 0, length: Int = 0, now: UInt64) {
            let head = slots[index].input[..<headEnd]
            if status == 201 { outcome.acknowledgedBodies.append(BenchFraming.body(slots[index].input, headEnd: headEnd, length: length)) }
            outcome.result.add(status: status, seconds: Double(now - slots[index].sentAt) / 1e9,
                               retryAfter: BenchFraming.hasHeader(head, "retry-after"), lateBy: slots[index].lateBy)
            slots[index].busy = false
            outstanding -= 1
            let closing = status == 0 || BenchFraming.hasHeader(head, "connection", value: "close")
            slots[index].input.removeFirst(min(length, slots[index].input.count))
            if closing {
                shut(&slots[index])
                guard open(&slots[index]) else { return }
            }
            free.append(index)
        }

        while next < requests.count || outstanding > 0 {
            var now = DispatchTime.now().uptimeNanoseconds
            while next < requests.count, due(next) <= now, let index = free.popLast() {
                slots[index].output = requests[next]
                slots[index].written = 0
                slots[index].sentAt = now
                slots[index].lateBy = Double(now - due(next)) / 1e9
                slots[index].busy = true
                outstanding += 1
                next += 1
                if !flush(&slots[index]) { finish(index, status: 0, now: now) }
            }
            if next < requests.count, free.isEmpty, outstanding == 0 { break }   // every connection is gone
            var wait = 10
            if next < requests.count, !free.isEmpty {
                let until = due(next) > now ? due(next) - now : 0
                wait = min(wait, Int((until + 999_999) / 1_000_000))
            }
            for index in slots.indices {
                polled[index] = pollfd(fd: slots[index].handle, events: Int16(POLLIN) | (slots[index].waitsToWrite ? Int16(POLLOUT) : 0), revents: 0)
            }
            let ready = poll(&polled, nfds_t(polled.count), Int32(wait))
            now = DispatchTime.now().uptimeNanoseconds
            for index in polled.indices where ready > 0 && polled[index].revents != 0 {
                let revents = polled[index].revents
                guard slots[index].handle >= 0 else { continue }
                if revents & Int16(POLLOUT) != 0, slots[index].written < slots[index].output.count {
                    if !flush(&slots[index]) { finish(index, status: 0, now: now); continue }
                }
                guard revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
                let count = read(slots[index].handle, &buffer, buffer.count)
                if count <= 0 {
                    if count < 0, errno == EAGAIN { continue }
                    // Closed: a request out on it is lost; an idle connection is opened again.
                    if slots[index].busy { finish(index, status: 0, now: now) } else {
                        shut(&slots[index])
                        if !open(&slots[index]) { free.removeAll { $0 == index } }
                    }
                    continue
                }
                slots[index].input.append(contentsOf: buffer[0..<count])
                if slots[index].busy, let (status, headEnd, length) = BenchFraming.frame(slots[index].input) {
                    finish(index, status: status, headEnd: headEnd, length: length, now: now)
                }
            }
            for index in slots.indices where slots[index].busy && now - slots[index].sentAt > timeoutNanos {
                finish(index, status: 0, now: now)
            }
        }
        outcome.result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for index in slots.indices { shut(&slots[index]) }
        return outcome
    }

    private func open(_ slot: inout Slot) -> Bool {
        guard let handle = BenchLoad.connectLoopback(port: port, timeout: Int(timeout.rounded(.up))) else { return false }
        _ = fcntl(handle, F_SETFL, fcntl(handle, F_GETFL) | O_NONBLOCK)
        slot = Slot(handle: handle)
        return true
    }

    private func shut(_ slot: inout Slot) {
        guard slot.handle >= 0 else { return }
        close(slot.handle)
        slot.handle = -1
        slot.input = []
    }

    /// Writes what the socket takes; the rest waits until poll says it can go. False when the connection failed.
    private func flush(_ slot: inout Slot) -> Bool {
        let handle = slot.handle
        while slot.written < slot.output.count {
            let count = slot.output[slot.written...].withUnsafeBytes { send(handle, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EAGAIN { break }
            if count <= 0 { return false }
            slot.written += count
        }
        slot.waitsToWrite = slot.written < slot.output.count
        return true
    }
}
