import Foundation
import Logging
import MotCuaCore
import MotCuaStore

/// What request handlers share: the database, the working calendar and the metrics registry.
public struct AppEnvironment: Sendable {
    public let database: Database
    public let calendar: WorkingCalendar
    public let metrics: HTTPMetrics
    public let accounts: AccountService
    public let dossiers: DossierService
    public let documents: DocumentStore
    public let reports: ReportService
    /// Bounds the requests worked on at once (`MOTCUA_MAX_IN_FLIGHT`).
    public let admission: AdmissionGate
    let auth: AuthGate

    public init(database: Database, calendar: WorkingCalendar, adminToken: String? = nil, metrics: HTTPMetrics = HTTPMetrics(),
                loginPolicy: LoginPolicy = LoginPolicy(), dossierPolicy: DossierPolicy = DossierPolicy(), documents: DocumentStore? = nil,
                notificationChannels: [NotificationChannel] = [.sms, .email], maxInFlight: Int = AppConfiguration().maxInFlight) {
        self.database = database
        self.calendar = calendar
        self.metrics = metrics
        self.accounts = AccountService(database: database, policy: loginPolicy)
        self.dossiers = DossierService(database: database, calendar: calendar, policy: dossierPolicy,
                                       notificationChannels: notificationChannels)
        self.documents = documents ?? DocumentStore(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("motcua-files-\(UUID().uuidString)"))
        self.reports = ReportService(database: database)
        self.admission = AdmissionGate(limit: maxInFlight)
        self.auth = AuthGate(accounts: accounts, admin: AdminGuard(token: adminToken), limiter: LoginLimiter())
    }

    /// Opens the database, applies pending migrations (refusing a database newer than this code)
    /// and builds the working calendar from the shipped rules and notices, the province's notices
    /// file, then the notices recorded in the database, each laid over the one before.
    public static func prepare(_ configuration: AppConfiguration, logger: Logger) async throws -> AppEnvironment {
        let database = try Database.open(configuration.database, logger: logger, maxConnections: configuration.databasePoolSize)
        do {
            try await Migrator(database: database).migrate(logger: logger)
            var notices = try CalendarData.bundledNotices()
            if let path = configuration.noticesFile {
                let fileNotices = try CalendarData.notices(from: Data(contentsOf: URL(fileURLWithPath: path)))
                notices = merge(notices, fileNotices)
            }
            notices = try await CalendarNoticeRepository(database: database).effectiveNotices(shipped: notices)
            let holidays = HolidayCalendar(rules: try CalendarData.bundledRules(), notices: notices)
            return AppEnvironment(database: database, calendar: WorkingCalendar(holidays: holidays, schedule: configuration.schedule),
                                  adminToken: configuration.adminToken, loginPolicy: configuration.loginPolicy,
                                  dossierPolicy: configuration.dossierPolicy,
                                  documents: DocumentStore(root: URL(fileURLWithPath: configuration.documentsDirectory),
                                                           maxBytes: configuration.maxUploadMegabytes * 1024 * 1024),
                                  // Zalo needs a gateway; SMS and e-mail are always queued (logged when none is set).
                                  notificationChannels: [.sms, .email] + (configuration.notificationGateways[.zalo] != nil ? [.zalo] : []),
                                  maxInFlight: configuration.maxInFlight)
        } catch {
            try? await database.close()
            throw error
        }
    }

    static func merge(_ base: [YearNotice], _ overlay: [YearNotice]) -> [YearNotice] {
        var byYear = Dictionary(base.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        for notice in overlay { byYear[notice.year] = notice }
        return byYear.values.sorted { $0.year < $1.year }
    }
}
