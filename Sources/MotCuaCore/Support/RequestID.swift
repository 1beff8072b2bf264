import Synchronization

/// Ids for requests, in the form of version-4 UUIDs in lower case. Each half is a counter mixed by
/// SplitMix64, which maps distinct inputs to distinct outputs, from a random seed: two ids of one
/// process could only meet in the 6 bits the UUID form sets, and another process's ids start from
/// other seeds. Not secrets: they only tie a request's log lines together.
///
/// Made without a system call. Foundation's `UUID()` opens, reads and closes `/dev/urandom` for
/// each one on Linux; in a surge every refused request gets an id, and that showed in the profile.
public enum RequestID {
    private static let seeds: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    public static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        var high = SplitMix64(seed: seeds.0 &+ n &* 0x9E37_79B9_7F4A_7C15)
        var low = SplitMix64(seed: seeds.1 &+ n)
        return format(high: high.next(), low: low.next())
    }

    static func format(high: UInt64, low: UInt64) -> String {
        var bytes = withUnsafeBytes(of: high.bigEndian, Array.init) + withUnsafeBytes(of: low.bigEndian, Array.init)
        bytes[6] = bytes[6] & 0x0f | 0x40   // version 4
        bytes[8] = bytes[8] & 0x3f | 0x80   // the RFC 4122 variant
        return [bytes[0..<4], bytes[4..<6], bytes[6..<8], bytes[8..<10], bytes[10...]].map(\.hex).joined(separator: "-")
    }
}
