import ArgumentParser
import Foundation
import Logging
import MotCuaServer
import MotCuaStore

/// The settings every database-using command accepts; each may also come from the environment or `.env`.
struct SettingsOptions: ParsableArguments {
    @Option(help: "Address to listen on (MOTCUA_HOST).") var host: String?
    @Option(help: "Port to listen on (MOTCUA_PORT).") var port: String?
    @Option(help: "postgres:// URL; without it MotCua uses SQLite (DATABASE_URL).") var databaseUrl: String?
    @Option(help: "SQLite file (MOTCUA_SQLITE_PATH).") var sqlitePath: String?
    @Option(help: "Database connections (MOTCUA_DATABASE_POOL_SIZE).") var databasePoolSize: String?
    @Option(help: "Log level (MOTCUA_LOG_LEVEL).") var logLevel: String?
    @Option(help: "json or text (MOTCUA_LOG_FORMAT).") var logFormat: String?
    @Option(help: "Working sessions, e.g. 07:30-11:30,13:00-17:00 (MOTCUA_WORKING_SESSIONS).") var workingSessions: String?
    @Option(help: "Acceptance cut-off HH:MM or off (MOTCUA_CUT_OFF).") var cutOff: String?
    @Option(help: "Yearly holiday notices JSON laid over the shipped ones (MOTCUA_NOTICES_FILE).") var noticesFile: String?
    @Option(help: "Administrator bearer token for API writes (MOTCUA_ADMIN_TOKEN).") var adminToken: String?
    @Option(help: "Requests worked on at once; more get 503 (MOTCUA_MAX_IN_FLIGHT).") var maxInFlight: String?

    var flags: [String: String] {
        let pairs: [(String, String?)] = [
            ("host", host), ("port", port), ("database-url", databaseUrl), ("sqlite-path", sqlitePath),
            ("database-pool-size", databasePoolSize), ("log-level", logLevel), ("log-format", logFormat),
            ("working-sessions", workingSessions), ("cut-off", cutOff), ("notices-file", noticesFile),
            ("admin-token", adminToken), ("max-in-flight", maxInFlight),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
    }

    /// Flags, then the environment, then `./.env`, then defaults; a bad setting is a usage error naming it.
    func resolve() throws -> AppConfiguration {
        let dotEnv = try? String(contentsOfFile: ".env", encoding: .utf8)
        do {
            return try ConfigurationResolver.resolve(flags: flags, environment: ProcessInfo.processInfo.environment, dotEnv: dotEnv)
        } catch let error as ConfigurationError {
            throw UsageError(error.description)
        }
    }
}

enum Logs {
    /// Bootstraps swift-log once per process with the configured format and level.
    static func logger(for configuration: AppConfiguration) -> Logger {
        bootstrap(configuration.logFormat)
        var logger = Logger(label: "motcua")
        logger.logLevel = configuration.logLevel
        return logger
    }

    nonisolated(unsafe) private static var bootstrapped = false
    private static let lock = NSLock()

    private static func bootstrap(_ format: AppConfiguration.LogFormat) {
        lock.withLock {
            guard !bootstrapped else { return }
            bootstrapped = true
            LoggingSystem.bootstrap { label in
                format == .json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
            }
        }
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server (creates and migrates the database first).")

    @OptionGroup var settings: SettingsOptions
    @Flag(help: "Fill in demo data before serving.") var demo = false

    func run() async throws {
        let configuration = try settings.resolve()
        let logger = Logs.logger(for: configuration)
        if demo {
            try await Seeding.seedDemo(settings)
        }
        let output = Output.current
        do {
            try await MotCuaServer.run(configuration, logger: logger) { output.out($0) }
        } catch let error as MigrationError {
            throw UsageError(error.description)
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try settings.resolve()
        let logger = Logs.logger(for: configuration)
        let database = try Database.open(configuration.database, logger: logger)
        do {
            let applied = try await Migrator(database: database).migrate(logger: logger)
            let version = try await Migrator(database: database).currentVersion()
            Output.current.out(applied.isEmpty
                ? "Nothing to migrate: the schema is at version \(version)."
                : "Applied \(applied.count) migration(s); the schema is at version \(version).")
            try await database.close()
        } catch {
            try? await database.close()
            if let error = error as? MigrationError { throw UsageError(error.description) }
            throw error
        }
    }
}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Fill the database with data.")

    @OptionGroup var settings: SettingsOptions
    @Flag(help: "Demo data: a catalogue, agencies and dossiers to try MotCua with.") var demo = false

    func run() async throws {
        guard demo else { throw UsageError("seed: say what to seed (--demo)") }
        try await Seeding.seedDemo(settings)
    }
}

enum Seeding {
    /// Migrates, then runs every demo seeder (units, agencies, catalogue); running it again changes nothing.
    static func seedDemo(_ settings: SettingsOptions) async throws {
        let seeded = try await withMigratedDatabase(settings) { database in
            try await DemoData.seed(database, logger: Logs.logger(for: try settings.resolve()))
        }
        Output.current.out("Demo data ready (\(seeded) records checked or written).")
    }
}
