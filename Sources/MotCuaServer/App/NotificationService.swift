import Foundation
import Logging
import MotCuaCore
import MotCuaStore
import ServiceLifecycle

/// Drains the notification outbox every few seconds while the server runs, through each channel's
/// configured gateway, or the log adapter where none is configured.
struct NotificationService: Service {
    let sender: NotificationSender
    let interval: Duration
    let logger: Logger

    init(database: Database, logger: Logger, gateways: [NotificationChannel: URL] = [:], token: String? = nil,
         interval: Duration = .seconds(5)) {
        let adapters = Dictionary(uniqueKeysWithValues: NotificationChannel.allCases.map { channel -> (NotificationChannel, any NotificationAdapter) in
            if let url = gateways[channel] { return (channel, WebhookNotificationAdapter(channel: channel, url: url, token: token)) }
            return (channel, LogNotificationAdapter(channel: channel, logger: logger))
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
