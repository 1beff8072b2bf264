import Hummingbird
import Logging
import MotCuaStore
import NIOCore
import ServiceLifecycle

public func buildRouter(_ environment: AppEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestObservabilityMiddleware(metrics: environment.metrics))
    router.middlewares.add(AdmissionMiddleware(gate: environment.admission))
    router.middlewares.add(ProblemMiddleware())
    HealthRoutes(environment: environment).register(on: router)
    let api = router.group("api/v1")
    UnitRoutes(units: UnitRepository(database: environment.database)).register(on: api)
    AgencyRoutes(environment: environment).register(on: api)
    CatalogueRoutes(environment: environment).register(on: api)
    AccountRoutes(environment: environment).register(on: api)
    DossierRoutes(environment: environment).register(on: api)
    DocumentRoutes(environment: environment).register(on: api)
    FormRoutes(environment: environment).register(on: api)
    ReportRoutes(environment: environment).register(on: api)
    OpenAPIRoute.register(on: router)
    // The browser's pages: every error among them is a page, not a problem document.
    let kit = PageKit(environment: environment)
    router.middlewares.add(PageErrorMiddleware(kit: kit))
    StaticFiles.register(on: router)
    PublicPages(kit: kit).register(on: router)
    AccountPages(kit: kit).register(on: router)
    DossierPages(kit: kit).register(on: router)
    ApplyPages(kit: kit).register(on: router)
    LeaderPages(kit: kit).register(on: router)
    ReportPages(kit: kit).register(on: router)
    return router
}

public func buildApplication(
    _ configuration: AppConfiguration,
    environment: AppEnvironment,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(environment),
        server: .http1(configuration: .init(additionalChannelHandlers: [
            EarlyShedHandler(gate: environment.admission, metrics: environment.metrics),
        ])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "MotCua"),
        services: [DatabaseService(database: environment.database, logger: logger),
                   NotificationService(database: environment.database, logger: logger,
                                       gateways: configuration.notificationGateways, token: configuration.notificationToken)],
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// Keeps the database open while the server runs and closes it after the server has stopped:
/// services stop in reverse order, so in-flight requests finish before the pool goes.
struct DatabaseService: Service {
    let database: Database
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        try await database.close()
        logger.info("database closed")
    }
}

/// Runs MotCua until SIGTERM or SIGINT, then shuts down gracefully.
public enum MotCuaServer {
    public static func run(_ configuration: AppConfiguration, logger: Logger, announce: @escaping @Sendable (String) -> Void) async throws {
        let environment = try await AppEnvironment.prepare(configuration, logger: logger)
        let app = buildApplication(configuration, environment: environment, logger: logger) { channel in
            let port = channel.localAddress?.port ?? configuration.port
            announce("MotCua đang phục vụ tại http://\(configuration.host):\(port) (\(environment.database.location))")
        }
        let group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
