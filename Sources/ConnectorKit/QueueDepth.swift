import WebhookCore

/// How many items wait in one of a tenant's queues: `new` (to be processed), `failed`
/// (parked until `ml-connector replay`), or `open` (attention items a person must act on,
/// queue `attention/<source>`).
public struct QueueDepth: Codable, Sendable, Equatable {
    public var queue: String
    public var state: String
    public var count: Int

    public init(_ queue: String, _ state: String, _ count: Int) { self.queue = queue; self.state = state; self.count = count }
}

extension TenantPaths {
    /// The queues `spec` drains and the attention items it raised.
    public func depths(_ spec: JobSpec) throws -> [QueueDepth] {
        var out: [QueueDepth] = []
        for q in spec.queues {
            let queue = self.queue(q)
            out.append(QueueDepth(q, "new", try queue.list(.new).count))
            out.append(QueueDepth(q, "failed", try queue.list(.failed).count))
        }
        let items = try Posix.list(attention).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        for source in spec.attentionSources {
            out.append(QueueDepth("attention/\(source)", "open", items.filter { $0.hasPrefix(source + "-") }.count))
        }
        return out
    }
}
