import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the peer address, which sign-in rate
/// limiting keys on.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text, "unknown" when the transport has none (tests).
    var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}
