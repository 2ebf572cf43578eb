import ConnectorKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The sandbox as a server: `ml-sandbox serve` and the tests run this same type.
public final class SandboxServer: Sendable {
    public let options: SandboxOptions
    let state: SandboxState
    private let running = Locked<(group: ServiceGroup, task: Task<Void, Error>, ticker: Task<Void, Never>)?>(nil)

    public init(options: SandboxOptions) {
        self.options = options
        self.state = SandboxState(options: options)
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts listening and returns the bound port (useful with port 0).
    public func start() async throws -> Int {
        // Loopback only: the control endpoints have no auth and the credentials are demo values.
        guard ["127.0.0.1", "localhost"].contains(options.host) else {
            throw StartError(description: "ml-sandbox binds to loopback only (127.0.0.1), not \(options.host)")
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let dispatcher = Dispatcher(state: state)
        let responder = CallbackResponder { (request: Request, context: ChannelRequestContext) in
            try await SandboxServer.respond(request, context, dispatcher)
        }
        var logger = Logging.Logger(label: "ml-sandbox")
        logger.logLevel = .warning
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: "ml-sandbox"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        let ticker = Task { [state] in await TwilioTicker(state: state).run() }
        running.withLock { $0 = (group, task, ticker) }
        for await port in ports { return port }
        _ = try await task.value
        throw StartError(description: "server stopped before listening")
    }

    /// Graceful: stops accepting, lets requests in flight (a delayed fault) finish.
    public func stop() async {
        guard let (group, task, ticker) = running.withLock({ r in defer { r = nil }; return r }) else { return }
        ticker.cancel()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Returns when the server stops; `serve` leaves SIGINT/SIGTERM at their default
    /// (end the process), as all state is in memory and nothing needs flushing.
    public func wait() async throws {
        guard let task = running.withLock({ $0?.task }) else { return }
        try await task.value
    }

    private static func respond(_ request: Request, _ context: ChannelRequestContext, _ dispatcher: Dispatcher) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTP/1 Host arrives as the :authority pseudo-header in swift-http-types.
        let host = request.head.authority ?? headers["host"] ?? "127.0.0.1"
        let req = SandboxRequest(method: request.method.rawValue, path: request.uri.path,
                                 rawQuery: request.uri.query ?? "", headers: headers,
                                 body: Array(buffer: body), origin: "http://\(host)")
        let reply = await dispatcher.handle(req)
        if reply.dropsConnection {
            try? await context.channel.close()
            throw ConnectionDropped()
        }
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(status: .init(code: reply.status), headers: fields,
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
