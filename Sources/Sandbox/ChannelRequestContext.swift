import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the connection the request came on, so the `drop`
/// fault can close it without writing an answer (Hummingbird turns a thrown error into a
/// 500, which is an answer).
struct ChannelRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Thrown after the connection was closed on purpose; the 500 Hummingbird then tries to
/// write goes nowhere.
struct ConnectionDropped: Error {}
