import ConnectorKit

/// Files one claimed event by what applying it gave: done/, attention/ (+ failed/), or
/// failed/ for bad data. A transient or configuration failure puts the event back in
/// new/ and rethrows, ending the pass with that error's exit status.
struct EventFiler {
    let queue: SpoolQueue
    let attention: AttentionBox
    let audit: AuditLog
    let output: Output
    let metrics: JobMetrics
    /// Opens the spooled bodies (`sealed_body`).
    let key: MasterKey

    /// stdout is for data: nothing by default (cron), JSON Lines, or a readable report.
    enum Output { case quiet, json, report }

    func handle(_ id: String, _ apply: (WebhookEnvelope) throws -> OrderProcessor.Outcome) throws {
        let envelope: WebhookEnvelope
        do { envelope = try WebhookEnvelope.read(try queue.read(id), key: key, path: queue.path(.cur, id)) }
        catch let error as StateError { try queue.release(id); throw error }
        catch {
            try park(id, topic: "?", reason: "\(error)")
            return
        }
        let outcome: OrderProcessor.Outcome
        do { outcome = try apply(envelope) }
        catch let error as DataError {
            try park(id, topic: envelope.topic, reason: error.description)
            return
        } catch {
            try queue.release(id)
            try audit.record(AuditEntry(action: "order", source: "shipbob", id: id, outcome: "deferred",
                                        reason: "\(error)", detail: ["topic": envelope.topic]))
            throw error
        }
        var entry = AuditEntry(action: "order", source: "shipbob", id: id, outcome: "", detail: ["topic": envelope.topic])
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
        count(outcome, topic: envelope.topic)
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
