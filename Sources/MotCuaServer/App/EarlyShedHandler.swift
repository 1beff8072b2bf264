import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Refuses at the connection when every place is taken: the request's head is answered at once
/// with the prepared 503 and its body is dropped, before the request becomes a task, a context
/// and a trip through the middlewares. In a surge most requests are refused, and what each
/// refusal cost came out of the CPU of the admitted ones.
///
/// It only ever refuses; places are taken by `AdmissionMiddleware`, so a place freed between the
/// two looks is simply used there. It refuses only while nothing else on the connection awaits
/// its answer, so a pipelined request cannot be answered before the one ahead of it.
final class EarlyShedHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let gate: AdmissionGate
    private let metrics: HTTPMetrics
    /// Requests passed on whose response has not ended yet.
    private var awaitingAnswer = 0
    /// Inside the body of a request refused here.
    private var dropping = false

    init(gate: AdmissionGate, metrics: HTTPMetrics) {
        self.gate = gate
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            let path = head.path ?? "/"
            if awaitingAnswer == 0, !AdmissionRefusal.isExempt(path: path), gate.refuseIfFull() {
                dropping = true
                refuse(head, path: path, context: context)
                return
            }
            awaitingAnswer += 1
            context.fireChannelRead(data)
        case .body:
            if !dropping { context.fireChannelRead(data) }
        case .end:
            if dropping { dropping = false } else { context.fireChannelRead(data) }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { awaitingAnswer -= 1 }
        context.write(data, promise: promise)
    }

    private func refuse(_ head: HTTPRequest, path: String, context: ChannelHandlerContext) {
        let started = ContinuousClock.now
        let answer = AdmissionRefusal.answer(path: path, accept: head.headerFields[.accept])
        var response = HTTPResponse(status: .serviceUnavailable, headerFields: answer.headers)
        response.headerFields[.contentLength] = "\(answer.body.readableBytes)"
        typealias Observability = RequestObservabilityMiddleware<AppRequestContext>
        response.headerFields[Observability.requestIDField] = Observability.requestID(from: head.headerFields[Observability.requestIDField])
        let closing = head.headerFields[.connection]?.lowercased().contains("close") == true
        if closing { response.headerFields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if head.method != .head { context.write(wrapOutboundOut(.body(answer.body)), promise: nil) }
        if closing {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        metrics.record(route: "unmatched", method: head.method.rawValue, status: 503, duration: ContinuousClock.now - started)
    }
}
