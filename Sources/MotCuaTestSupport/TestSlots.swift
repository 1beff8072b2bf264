/// At most `count` holders at a time, the others wait in turn. Tests run in parallel without
/// bound; each PostgreSQL test opens a pool, so without this the server runs out of connections.
actor TestSlots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}
