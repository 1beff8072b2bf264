import Foundation
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import NIOConcurrencyHelpers
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// The HTTP gateway adapter against a real listening server: one JSON POST per message with a key
/// that stays the same on retries, the configured bearer token, and a failure on anything but 2xx.
@Suite struct NotificationGatewayTests {
    @Test func postsEachMessageAndFailsOnNon2xx() async throws {
        let received = NIOLockedValueBox<[(authorization: String?, body: String)]>([])
        let answers = NIOLockedValueBox<[HTTPResponse.Status]>([.accepted, .serviceUnavailable])
        let router = Router()
        router.post("gateway/sms") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            received.withLockedValue { $0.append((request.headers[.authorization], String(buffer: body))) }
            return Response(status: answers.withLockedValue { $0.removeFirst() })
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let adapter = WebhookNotificationAdapter(channel: .sms, url: URL(string: "http://127.0.0.1:\(port)/gateway/sms")!,
                                                     token: "gw-secret")
            let message = OutboxMessage(dossierCode: "000.00.30.H26-261122-0001", eventSequence: 2, channel: .sms,
                                        recipient: "0912345678", body: "Hồ sơ đã được tiếp nhận.", attempts: 1)
            try await adapter.send(message)
            await #expect(throws: WebhookNotificationAdapter.Refused.self) { try await adapter.send(message) }
        }
        let calls = received.withLockedValue { $0 }
        #expect(calls.count == 2 && calls.allSatisfy { $0.authorization == "Bearer gw-secret" })
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(calls[0].body.utf8)) as? [String: String])
        #expect(payload == ["channel": "sms", "to": "0912345678", "text": "Hồ sơ đã được tiếp nhận.",
                            "key": "000.00.30.H26-261122-0001:2:sms"])
        #expect(calls[1].body == calls[0].body)
    }

    @Test func gatewaysAreSettings() throws {
        let config = try ConfigurationResolver.resolve(
            flags: [:], environment: ["MOTCUA_NOTIFY_ZALO_URL": "https://zns.example.vn/send", "MOTCUA_NOTIFY_TOKEN": "t0ken"], dotEnv: nil)
        #expect(config.notificationGateways == [.zalo: URL(string: "https://zns.example.vn/send")!] && config.notificationToken == "t0ken")
        #expect(throws: ConfigurationError.self) {
            try ConfigurationResolver.resolve(flags: [:], environment: ["MOTCUA_NOTIFY_SMS_URL": "ftp://x"], dotEnv: nil)
        }
    }
}
