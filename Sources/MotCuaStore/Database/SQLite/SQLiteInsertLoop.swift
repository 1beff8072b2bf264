import Foundation
@preconcurrency import SQLiteKit

/// The SQLite reference of the write benchmarks: one connection inserting one row per
/// transaction, in WAL mode with MotCua's durability (`synchronous = FULL`), through SQLite's C
/// API with the statement kept prepared, so that nothing of MotCua's own stack is in it.
public enum SQLiteInsertLoop {
    /// Inserts for `seconds` into a new file at `path`; the latency of each transaction, in seconds.
    public static func run(path: String, seconds: Double) throws -> [Double] {
        let handle = try SQLiteHandle.open(path: path, gatheringLogWrites: false)
        defer { handle.close() }
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                       "CREATE TABLE bench_reference (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"] {
            try handle.run(pragma, []) { _ in }
        }
        let body = SQLiteData.text(String(repeating: "Hồ sơ tham chiếu ", count: 12))
        var latencies: [Double] = []
        let clock = ContinuousClock()
        let start = clock.now
        while start.duration(to: clock.now) < .seconds(seconds) {
            let began = clock.now
            try handle.run("BEGIN IMMEDIATE", []) { _ in }
            try handle.run("INSERT INTO bench_reference (body) VALUES (?)", [body]) { _ in }
            try handle.run("COMMIT", []) { _ in }
            let took = began.duration(to: clock.now)
            latencies.append(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
        }
        return latencies
    }
}
