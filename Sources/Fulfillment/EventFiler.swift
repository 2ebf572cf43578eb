import ConnectorKit
import WebhookCore

/// Files one claimed event by what applying it gave: done/, attention/ (+ failed/), or
/// failed/ for bad data. A transient or configuration failure puts the event back in
/// new/ and rethrows, ending the pass with that error's exit status.
public struct EventFiler {
    let queue: SpoolQueue
    let attention: AttentionBox
    let audit: AuditLog
    let output: Output
    let metrics: JobMetrics
    /// Opens the spooled bodies (`sealed_body`).
    let key: MasterKey

    /// stdout is for data: nothing by default (cron), JSON Lines, or a readable report.
    public enum Output { case quiet, json, report }

    func handle(_ id: String, _ apply: (WebhookEnvelope) throws -> OrderProcessor.Outcome) throws {
        let envelope: WebhookEnvelope
        do { envelope = try WebhookEnvelope.read(try queue.read(id), key: key, path: queue.path(.cur, id)) }
        catch let error as StateError { try queue.release(id); throw error }
        catch {
            try park(id, topic: "?", reason: "\(error)")
            return
        }
        let placed: WebhookEnvelope
        switch EventKind.place(topic: envelope.topic, body: try? JSONValue.parse(envelope.body)) {
        case .topic(let topic):
            placed = envelope.placed(as: topic)
        case .unplaced(let why):
            let shown = envelope.topic.isEmpty ? "no topic" : "topic \"\(envelope.topic)\""
            try divert(id, raw: envelope.topic, reason: "ShipBob webhook with \(shown) cannot be placed: \(why)",
                       action: "the delivery is parked in the shipbob spool's failed/ (`ml-connector attention`); apply what it says by hand if it matters, and report its topic and shape so the connector learns it")
            return
        }
        let outcome: OrderProcessor.Outcome
        do { outcome = try apply(placed) }
        catch let error as DataError {
            try park(id, topic: envelope.topic, reason: error.description)
            return
        } catch {
            try queue.release(id)
            try audit.record(AuditEntry(action: "order", source: "shipbob", id: id, outcome: "deferred",
                                        reason: "\(error)", detail: ["topic": envelope.topic]))
            throw error
        }
        var entry = AuditEntry(action: "order", source: "shipbob", id: id, outcome: "", detail: Self.topics(envelope, placed))
        switch outcome {
        case .posted(let key, let so):
            entry.outcome = "posted"; entry.target = so; entry.detail?["customer_po"] = key
        case .alreadyInSyspro(let key, let so, let how):
            entry.outcome = "already-in-syspro"; entry.target = so; entry.detail?["customer_po"] = key; entry.reason = how
        case .applied(let key, let target, let summary):
            entry.outcome = "applied"; entry.target = target; entry.detail?["key"] = key; entry.reason = summary
        case .ignored(let why):
            entry.outcome = "ignored"; entry.reason = why
        case .attention(let reason, let action):
            try attention.add(AttentionItem(source: "shipbob", id: id, reason: reason, action: action))
            try queue.fail(id, reason: reason)
            entry.outcome = "attention"; entry.reason = reason
            try audit.record(entry, durable: true)
            emit(entry)
            return
        }
        try audit.record(entry, durable: true)
        try queue.complete(id)
        count(outcome, topic: placed.topic)
        emit(entry)
    }

    /// The topic as delivered, and the one acted on when the job placed it otherwise.
    private static func topics(_ raw: WebhookEnvelope, _ placed: WebhookEnvelope) -> [String: String] {
        var d = ["topic": raw.topic]
        if placed.topic != raw.topic { d["placed_as"] = placed.topic }
        return d
    }

    /// A delivery no rule places: attention/ (naming its raw topic) and failed/, never dropped.
    private func divert(_ id: String, raw topic: String, reason: String, action: String) throws {
        try attention.add(AttentionItem(source: "shipbob", id: id, reason: reason, action: action))
        try queue.fail(id, reason: reason)
        let entry = AuditEntry(action: "order", source: "shipbob", id: id, outcome: "attention", reason: reason, detail: ["topic": topic])
        try audit.record(entry, durable: true)
        emit(entry)
    }

    /// What reached SYSPRO: a new sales order, or an order's shipments or a WRO's receipts.
    private func count(_ outcome: OrderProcessor.Outcome, topic: String) {
        switch outcome {
        case .posted: metrics.moved("orders", "shipbob->syspro")
        case .applied: metrics.moved(EventKind(topic: topic) == .receiving ? "receipts" : "shipments", "shipbob->syspro")
        case .alreadyInSyspro, .ignored, .attention: break
        }
    }

    private func park(_ id: String, topic: String, reason: String) throws {
        try queue.fail(id, reason: reason)
        let entry = AuditEntry(action: "order", source: "shipbob", id: id, outcome: "failed", reason: reason, detail: ["topic": topic])
        try audit.record(entry, durable: true)
        emit(entry)
    }

    private func emit(_ entry: AuditEntry) {
        switch output {
        case .quiet:
            return
        case .json:
            if let line = try? JSON.encodeLine(entry) { print(line) }
        case .report:
            let what = entry.outcome == "applied" ? "\(entry.detail?["key"] ?? "") \(entry.reason ?? "")"
                : entry.target.map { "SYSPRO sales order \($0)" } ?? entry.reason ?? ""
            let po = entry.detail?["customer_po"].map { "\($0) " } ?? ""
            print("\(entry.outcome.padding(18)) \(entry.id.padding(40)) \(po)\(what)")
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

private extension WebhookEnvelope {
    func placed(as topic: String) -> WebhookEnvelope {
        var e = self
        e.topic = topic
        return e
    }
}
