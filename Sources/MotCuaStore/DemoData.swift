import Logging

/// Demo data for `motcua seed --demo` and `serve --demo`. Each seeder must be idempotent: running
/// it twice leaves the same data. The catalogue, units and dossier features add theirs here.
public enum DemoData {
    typealias Seeder = @Sendable (Database, Logger) async throws -> Int

    static let seeders: [Seeder] = []

    /// Runs every seeder; returns how many records they wrote.
    public static func seed(_ database: Database, logger: Logger) async throws -> Int {
        var total = 0
        for seeder in seeders {
            total += try await seeder(database, logger)
        }
        return total
    }
}
