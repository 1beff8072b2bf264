import Foundation
import Logging
import MotCuaCore
import MotCuaStore
import ServiceLifecycle

/// Drains the notification outbox every few seconds while the server runs. Adapters are the log
/// adapter until a province configures its gateways.
struct NotificationService: Service {
    let sender: NotificationSender
    let interval: Duration
    let logger: Logger

    init(database: Database, logger: Logger, interval: Duration = .seconds(5)) {
        let adapters = Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { channel in
            (channel, LogNotificationAdapter(channel: channel, logger: logger) as any NotificationAdapter)
        })
        self.sender = NotificationSender(database: database, adapters: adapters)
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await sender.drain()
            } catch {
                logger.warning("notification outbox not drained", metadata: ["error_type": "\(type(of: error))"])
            }
            // Only the pause is cut short at shutdown: a drain in progress finishes its messages.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
