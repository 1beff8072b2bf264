import MotCuaCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

@Suite struct ConfigurationTests {
    func resolve(_ flags: [String: String] = [:], _ env: [String: String] = [:], _ dotEnv: String? = nil) throws -> AppConfiguration {
        try ConfigurationResolver.resolve(flags: flags, environment: env, dotEnv: dotEnv)
    }

    @Test func defaultsNeedNoSetUp() throws {
        let config = try resolve()
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.database == .sqlite(path: "./motcua.sqlite"))
        #expect(config.schedule.cutOff == 900)
    }

    @Test func flagsBeatEnvironmentBeatDotEnvBeatDefaults() throws {
        let dotEnv = "# local\nMOTCUA_PORT=7000\nexport MOTCUA_HOST=\"0.0.0.0\"\nMOTCUA_LOG_LEVEL=debug\n"
        #expect(try resolve([:], [:], dotEnv).port == 7000)
        #expect(try resolve([:], [:], dotEnv).host == "0.0.0.0")
        #expect(try resolve([:], ["MOTCUA_PORT": "7100"], dotEnv).port == 7100)
        #expect(try resolve(["port": "7200"], ["MOTCUA_PORT": "7100"], dotEnv).port == 7200)
        #expect(try resolve(["port": "7200"], ["MOTCUA_PORT": "7100"], dotEnv).logLevel == .debug)
    }

    @Test func databaseURLSelectsPostgres() throws {
        let url = "postgres://motcua:pw@localhost:5432/motcua"
        #expect(try resolve([:], ["DATABASE_URL": url]).database == .postgres(url: url))
        #expect(try resolve(["database-url": url], [:], "MOTCUA_SQLITE_PATH=/tmp/x.sqlite").database == .postgres(url: url))
        #expect(try resolve([:], [:], "MOTCUA_SQLITE_PATH=/tmp/x.sqlite").database == .sqlite(path: "/tmp/x.sqlite"))
    }

    @Test func unknownSettingsStopStartUpByName() {
        #expect(throws: ConfigurationError(setting: "MOTCUA_PROT", message: "unknown setting in the environment")) {
            try resolve([:], ["MOTCUA_PROT": "80"])
        }
        #expect(throws: ConfigurationError(setting: "PORT", message: "unknown setting in .env")) {
            try resolve([:], [:], "PORT=80")
        }
        // Other programs' variables and the test suites' own are not ours to judge.
        #expect(throws: Never.self) { try resolve([:], ["PATH": "/bin", "MOTCUA_TEST_POSTGRES_URL": "x"]) }
    }

    @Test func malformedSettingsNameTheSettingAndItsSource() {
        #expect(throws: ConfigurationError(setting: "MOTCUA_PORT", message: "expected a port number 0–65535, got \"eighty\"")) {
            try resolve([:], ["MOTCUA_PORT": "eighty"])
        }
        #expect(throws: ConfigurationError(setting: "--port", message: "expected a port number 0–65535, got \"70000\"")) {
            try resolve(["port": "70000"])
        }
        #expect(throws: ConfigurationError(setting: "MOTCUA_CUT_OFF in .env", message: "expected HH:MM or off, got \"3pm\"")) {
            try resolve([:], [:], "MOTCUA_CUT_OFF=3pm")
        }
        #expect(throws: ConfigurationError(setting: ".env line 2", message: "expected KEY=VALUE")) {
            try resolve([:], [:], "MOTCUA_PORT=1\nnonsense\n")
        }
    }

    @Test func aBadDatabaseURLIsReportedWithoutItsPassword() {
        do {
            _ = try resolve([:], ["DATABASE_URL": "mysql://root:hunter2@db/motcua"])
            Issue.record("accepted a mysql URL")
        } catch {
            #expect("\(error)".hasPrefix("DATABASE_URL: expected postgres://"))
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test func scheduleSettings() throws {
        let config = try resolve([:], ["MOTCUA_WORKING_SESSIONS": "08:00-12:00,13:30-17:30", "MOTCUA_CUT_OFF": "off"])
        #expect(config.schedule.sessions.map(\.start) == [480, 810])
        #expect(config.schedule.cutOff == nil)
        #expect(throws: ConfigurationError.self) { try resolve([:], ["MOTCUA_WORKING_SESSIONS": "13:00-17:00,07:30-11:30"]) }
    }

    @Test func dossierAndUploadSettings() throws {
        let config = try resolve(["supplement-limit": "2"], ["MOTCUA_DUE_SOON_WORKING_HOURS": "4", "MOTCUA_MAX_UPLOAD_MB": "25"],
                                 "MOTCUA_DOCUMENTS_DIR=/srv/motcua/files")
        #expect(config.dossierPolicy.maxSupplementRequests == 2 && config.dossierPolicy.dueSoonWorkingSeconds == 4 * 3600)
        #expect(config.maxUploadMegabytes == 25 && config.documentsDirectory == "/srv/motcua/files")
        let defaults = try resolve([:], [:])
        #expect(defaults.dossierPolicy == DossierPolicy() && defaults.dossierPolicy.maxSupplementRequests == 1)
        #expect(throws: ConfigurationError.self) { try resolve([:], ["MOTCUA_SUPPLEMENT_LIMIT": "0"]) }
        #expect(throws: ConfigurationError.self) { try resolve([:], ["MOTCUA_MAX_UPLOAD_MB": "many"]) }
    }

    @Test func admissionSetting() throws {
        #expect(try resolve([:], [:]).maxInFlight == 64)
        #expect(try resolve(["max-in-flight": "200"], [:]).maxInFlight == 200)
        let error = #expect(throws: ConfigurationError.self) { try resolve([:], ["MOTCUA_MAX_IN_FLIGHT": "0"]) }
        #expect(error?.setting.contains("MAX_IN_FLIGHT") == true || error?.setting.contains("max-in-flight") == true)
    }
}
