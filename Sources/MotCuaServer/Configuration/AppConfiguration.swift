import Foundation
import Logging
import MotCuaCore
import MotCuaStore

/// Everything MotCua reads at start-up, after flags, environment, `.env` and defaults are merged.
public struct AppConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database: DatabaseLocation = .sqlite(path: "./motcua.sqlite")
    public var databasePoolSize = 8
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .json
    public var schedule: WorkingSchedule = .standard
    public var noticesFile: String?
    /// Bearer token for the administrator API until accounts exist; nil: nothing is writable.
    public var adminToken: String?
    public var dossierPolicy = DossierPolicy()
    /// Where dossier files are kept (outside the database).
    public var documentsDirectory = "./motcua-files"
    public var maxUploadMegabytes = 10
    /// Requests worked on at once; more are answered 503 with Retry-After.
    public var maxInFlight = 64
    /// HTTP gateways per channel; a channel without one is logged only.
    public var notificationGateways: [NotificationChannel: URL] = [:]
    public var notificationToken: String?
    /// bcrypt cost and lock-out; not a setting (tests lower the cost to stay fast).
    public var loginPolicy = LoginPolicy()

    public enum LogFormat: String, Sendable, CaseIterable {
        case json, text
    }

    public init() {}
}

/// A setting that stopped start-up: it names the setting and what was wrong with it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let setting: String
    public let message: String

    public var description: String { "\(setting): \(message)" }
}

/// One known setting: its flag, its environment variable, and how to apply a value.
struct Setting: Sendable {
    let flag: String
    let environment: String
    let defaultText: String
    let summary: String
    let apply: @Sendable (inout AppConfiguration, String) -> String?

    /// A secret's value is never echoed in an error.
    var isSecret: Bool { ["MOTCUA_ADMIN_TOKEN", "MOTCUA_NOTIFY_TOKEN"].contains(environment) }
}

public enum ConfigurationResolver {
    /// Variables with this prefix must be known settings; a typo stops start-up instead of being ignored.
    static let prefix = "MOTCUA_"
    /// Test-only variables the test suites read; they never configure the server.
    static let ignoredPrefixes = ["MOTCUA_TEST_"]

    static let settings: [Setting] = [
        Setting(flag: "host", environment: "MOTCUA_HOST", defaultText: "127.0.0.1",
                summary: "address to listen on") { config, value in
            guard !value.isEmpty, !value.contains(" ") else { return "expected a host name or IP address" }
            config.host = value
            return nil
        },
        Setting(flag: "port", environment: "MOTCUA_PORT", defaultText: "8080",
                summary: "TCP port to listen on (0 picks a free one)") { config, value in
            guard let port = Int(value), (0...65535).contains(port) else { return "expected a port number 0–65535" }
            config.port = port
            return nil
        },
        Setting(flag: "database-url", environment: "DATABASE_URL", defaultText: "(none: embedded SQLite)",
                summary: "postgres://user:password@host:port/database to run on PostgreSQL") { config, value in
            guard let url = URLComponents(string: value), ["postgres", "postgresql"].contains(url.scheme ?? ""),
                  url.host?.isEmpty == false, url.user?.isEmpty == false
            else { return "expected postgres://user[:password]@host[:port]/database" }
            config.database = .postgres(url: value)
            return nil
        },
        Setting(flag: "sqlite-path", environment: "MOTCUA_SQLITE_PATH", defaultText: "./motcua.sqlite",
                summary: "SQLite database file, used when no DATABASE_URL is set") { config, value in
            guard !value.isEmpty else { return "expected a file path" }
            if case .sqlite = config.database { config.database = .sqlite(path: value) }
            return nil
        },
        Setting(flag: "database-pool-size", environment: "MOTCUA_DATABASE_POOL_SIZE", defaultText: "8",
                summary: "database connections to keep") { config, value in
            guard let size = Int(value), (1...200).contains(size) else { return "expected a whole number 1–200" }
            config.databasePoolSize = size
            return nil
        },
        Setting(flag: "log-level", environment: "MOTCUA_LOG_LEVEL", defaultText: "info",
                summary: "trace, debug, info, notice, warning, error or critical") { config, value in
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                return "expected one of trace, debug, info, notice, warning, error, critical"
            }
            config.logLevel = level
            return nil
        },
        Setting(flag: "log-format", environment: "MOTCUA_LOG_FORMAT", defaultText: "json",
                summary: "json (one object per line) or text") { config, value in
            guard let format = AppConfiguration.LogFormat(rawValue: value.lowercased()) else { return "expected json or text" }
            config.logFormat = format
            return nil
        },
        Setting(flag: "working-sessions", environment: "MOTCUA_WORKING_SESSIONS", defaultText: "07:30-11:30,13:00-17:00",
                summary: "office sessions of a working day") { config, value in
            guard let sessions = WorkingSchedule.parseSessions(value),
                  let schedule = WorkingSchedule(sessions: sessions, cutOff: config.schedule.cutOff)
            else { return "expected ordered sessions like 07:30-11:30,13:00-17:00" }
            config.schedule = schedule
            return nil
        },
        Setting(flag: "cut-off", environment: "MOTCUA_CUT_OFF", defaultText: "15:00",
                summary: "dossiers accepted from this time count from the next working day; off to disable") { config, value in
            let cutOff: Int?
            if value.lowercased() == "off" {
                cutOff = nil
            } else {
                guard let minute = WorkingSchedule.parseTime(value) else { return "expected HH:MM or off" }
                cutOff = minute
            }
            config.schedule = WorkingSchedule(sessions: config.schedule.sessions, cutOff: cutOff)!
            return nil
        },
        Setting(flag: "notices-file", environment: "MOTCUA_NOTICES_FILE", defaultText: "(shipped notices only)",
                summary: "a JSON file of yearly holiday notices laid over the shipped ones") { config, value in
            guard FileManager.default.isReadableFile(atPath: value) else { return "no readable file at \(value)" }
            config.noticesFile = value
            return nil
        },
        Setting(flag: "admin-token", environment: "MOTCUA_ADMIN_TOKEN", defaultText: "(none: no writes)",
                summary: "bearer token for catalogue and agency writes until accounts exist (at least 24 characters)") { config, value in
            guard value.count >= 24, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                return "expected at least 24 printable characters"
            }
            config.adminToken = value
            return nil
        },
        Setting(flag: "documents-dir", environment: "MOTCUA_DOCUMENTS_DIR", defaultText: "./motcua-files",
                summary: "folder for dossier files, kept outside the database") { config, value in
            guard !value.isEmpty else { return "expected a folder path" }
            config.documentsDirectory = value
            return nil
        },
        Setting(flag: "max-upload-mb", environment: "MOTCUA_MAX_UPLOAD_MB", defaultText: "10",
                summary: "largest dossier file accepted, in MiB") { config, value in
            guard let size = Int(value), (1...200).contains(size) else { return "expected a whole number 1–200" }
            config.maxUploadMegabytes = size
            return nil
        },
        Setting(flag: "max-in-flight", environment: "MOTCUA_MAX_IN_FLIGHT", defaultText: "64",
                summary: "requests worked on at once; more are answered 503 with Retry-After") { config, value in
            guard let count = Int(value), (1...100_000).contains(count) else { return "expected a whole number 1–100000" }
            config.maxInFlight = count
            return nil
        },
        gateway(.sms, "SMS brand-name"),
        gateway(.email, "e-mail relay"),
        gateway(.zalo, "Zalo ZNS"),
        Setting(flag: "notify-token", environment: "MOTCUA_NOTIFY_TOKEN", defaultText: "(none)",
                summary: "bearer token sent to the notification gateways") { config, value in
            guard !value.isEmpty, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return "expected printable characters" }
            config.notificationToken = value
            return nil
        },
        Setting(flag: "supplement-limit", environment: "MOTCUA_SUPPLEMENT_LIMIT", defaultText: "1",
                summary: "supplement requests allowed per dossier") { config, value in
            guard let limit = Int(value), (1...5).contains(limit) else { return "expected a whole number 1–5" }
            config.dossierPolicy.maxSupplementRequests = limit
            return nil
        },
        Setting(flag: "due-soon-working-hours", environment: "MOTCUA_DUE_SOON_WORKING_HOURS", defaultText: "8",
                summary: "a dossier or step is due soon with this many working hours or fewer left") { config, value in
            guard let hours = Int(value), (1...80).contains(hours) else { return "expected a whole number of hours 1–80" }
            config.dossierPolicy.dueSoonWorkingSeconds = Double(hours) * 3600
            return nil
        },
    ]

    /// `--notify-sms-url` and its kin: where a channel's messages are POSTed.
    static func gateway(_ channel: NotificationChannel, _ what: String) -> Setting {
        Setting(flag: "notify-\(channel.rawValue)-url", environment: "MOTCUA_NOTIFY_\(channel.rawValue.uppercased())_URL",
                defaultText: "(none: logged only)", summary: "HTTP(S) gateway for \(what) messages") { config, value in
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                return "expected an http(s) URL"
            }
            config.notificationGateways[channel] = url
            return nil
        }
    }

    /// The settings table for `--help` and the README.
    public static var table: [(flag: String, environment: String, defaultText: String, summary: String)] {
        settings.map { ($0.flag, $0.environment, $0.defaultText, $0.summary) }
    }

    /// Merges the sources, highest precedence first: flags (keyed by flag name without dashes),
    /// then environment, then the text of a `.env` file, then defaults.
    public static func resolve(flags: [String: String], environment: [String: String], dotEnv: String?) throws -> AppConfiguration {
        let fileValues = try dotEnv.map(parseDotEnv) ?? [:]
        for name in fileValues.keys where !settings.contains(where: { $0.environment == name }) {
            throw ConfigurationError(setting: name, message: "unknown setting in .env")
        }
        for name in environment.keys where name.hasPrefix(prefix)
            && !ignoredPrefixes.contains(where: name.hasPrefix) && !settings.contains(where: { $0.environment == name }) {
            throw ConfigurationError(setting: name, message: "unknown setting in the environment")
        }
        for name in flags.keys where !settings.contains(where: { $0.flag == name }) {
            throw ConfigurationError(setting: "--\(name)", message: "unknown option")
        }
        var config = AppConfiguration()
        // Sessions before the cut-off, and DATABASE_URL before the SQLite path, as each reads the other.
        for setting in settings {
            let candidates: [(String, String?)] = [
                ("--\(setting.flag)", flags[setting.flag]),
                (setting.environment, environment[setting.environment]),
                ("\(setting.environment) in .env", fileValues[setting.environment]),
            ]
            guard let (source, value) = candidates.first(where: { $0.1 != nil }), let value else { continue }
            if let problem = setting.apply(&config, value) {
                throw ConfigurationError(setting: source, message: setting.isSecret ? problem : "\(problem), got \"\(redact(setting, value))\"")
            }
        }
        return config
    }

    /// `KEY=VALUE` lines; blank lines, `# comments` and an `export ` prefix allowed; values may be quoted.
    public static func parseDotEnv(_ text: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(setting: ".env line \(number + 1)", message: "expected KEY=VALUE")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ConfigurationError(setting: ".env line \(number + 1)", message: "\"\(key)\" is not a variable name")
            }
            values[key] = value
        }
        return values
    }

    /// Database URLs carry passwords: an error message shows the rest only.
    private static func redact(_ setting: Setting, _ value: String) -> String {
        guard setting.environment == "DATABASE_URL" else { return value }
        return DatabaseLocation.postgres(url: value).description
    }
}
