import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MotCuaCore

/// Hands messages to a province's gateway over HTTP: one JSON POST per message
/// (`{"channel","to","text","key"}`), with a bearer token when configured. SMS brand-name
/// services, Zalo ZNS and e-mail relays each sit behind such a gateway. `key` is the same on a
/// retry, so a gateway that saw the first attempt can drop the second. Anything but a 2xx answer
/// is a failure, and the sender retries.
public struct WebhookNotificationAdapter: NotificationAdapter {
    let channel: NotificationChannel
    let url: URL
    let token: String?
    let session: URLSession

    public init(channel: NotificationChannel, url: URL, token: String? = nil, timeout: TimeInterval = 10) {
        self.channel = channel
        self.url = url
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        self.session = URLSession(configuration: configuration)
    }

    struct Payload: Encodable {
        let channel: String
        let to: String
        let text: String
        let key: String
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public struct Refused: Error, CustomStringConvertible {
        public let status: Int
        public var description: String { "gateway answered \(status)" }
    }

    public func send(_ message: OutboxMessage) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try Self.encoder.encode(Payload(
            channel: channel.rawValue, to: message.recipient, text: message.body,
            key: "\(message.dossierCode):\(message.eventSequence):\(message.channel.rawValue)"))
        let (_, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Refused(status: status) }
    }
}
