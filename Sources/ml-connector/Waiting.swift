import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// What waits for a person in one tenant: attention items, and items parked in `failed/`
/// of every queue with the reason beside them (`failed/.<id>.why`).
struct Waiting {
    let tenant: TenantPaths

    struct Parked {
        let queue: ConnectorQueue
        let id: String
        let reason: String
        /// When it was parked (its reason was written then).
        let since: Date?
    }

    func parked(in queues: [ConnectorQueue] = ConnectorQueue.all) throws -> [Parked] {
        try queues.flatMap { q in
            let queue = q.queue(tenant)
            return try queue.list(.failed).map { id in
                let why = queue.path(.failed) / ".\(id).why"
                return Parked(queue: q, id: id, reason: queue.reason(id) ?? "(no reason recorded)",
                              since: Posix.modificationTime(why) ?? Posix.modificationTime(queue.path(.failed, id)))
            }
        }
    }

    /// Attention items, and the files among them that do not read as one (path, problem).
    func attention() throws -> (items: [AttentionItem], unreadable: [(path: String, problem: String)]) {
        var items: [AttentionItem] = [], unreadable: [(String, String)] = []
        for name in try Posix.list(tenant.attention).filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }).sorted() {
            let path = tenant.attention / name
            do {
                if let item = try AtomicFile.readJSON(AttentionItem.self, from: path) { items.append(item) }
            } catch {
                unreadable.append((path, "\(error)"))
            }
        }
        return (items, unreadable)
    }

    /// The queue an attention item's source parks its items in, if it is a queue item.
    static func queue(forAttentionSource source: String) -> ConnectorQueue? {
        ConnectorQueue.all.first { $0.source == source }
    }
}
