import ConnectorKit
import Twilio

/// What the sender needs from Twilio; `TwilioClient` is the live one.
protocol SMSGateway {
    func create(to: String, body: String) throws -> SendOutcome
    func recent(to: String, since: Double) throws -> [TwilioMessage]
}

extension TwilioClient: SMSGateway {}

/// Sends what waits in `outbox/twilio/new/`, each item at most once at Twilio:
/// - before a request, the attempt is journaled (`deliveries.json`); after a crash or an
///   unclear answer the message is looked up at Twilio before any resend, because
///   message creation has no idempotency key (api-notes, Twilio);
/// - a refusal (invalid or unsubscribed number, ...) parks the item in `failed/` at once,
///   with Twilio's message and an attention item, for `ml-connector replay`;
/// - 429s are retried with backoff and jitter by the HTTP retry policy; when Twilio still
///   will not take messages, the run stops and the items wait for the next one;
/// - an item past `twilio.max_attempts` or `max_age_minutes` is parked instead.
struct AlertSender {
    let gateway: SMSGateway
    let outbox: SpoolQueue
    let deliveries: JournaledMap<Delivery>
    let audit: AuditLog
    let attention: AttentionBox
    /// A person's number (`phone.<person>`), nil when not set.
    let phone: (String) throws -> String?
    let openBody: (String) throws -> String
    /// Seals the number and body for the audit line.
    let seal: (String) throws -> String
    let maxAttempts: Int
    let maxAge: Double
    /// Unclear answers in a row for one item before the run gives up on Twilio for now.
    var unclearPerRun = 3
    let backoff: (Int) -> Double
    let sleep: (Double) -> Void
    let now: () -> Double

    struct Summary: Equatable {
        var sent = 0
        var found = 0
        var parked = 0
        /// Why sending stopped early (Twilio unavailable or limiting); the rest waits.
        var stopped: String?
    }

    func sendPending() throws -> Summary {
        var summary = Summary()
        for id in try outbox.pending() {
            guard summary.stopped == nil else { break }
            guard try outbox.claim(id) else { continue }
            let item = try AlertItem(bytes: Array(try outbox.read(id)), source: outbox.path(.cur, id))
            try send(id, item, &summary)
        }
        return summary
    }

    private func send(_ id: String, _ item: AlertItem, _ summary: inout Summary) throws {
        var d = deliveries[id] ?? Delivery()
        if d.parked {  // `ml-connector replay` put it back: a new round
            d = Delivery()
            d.since = now()
        }
        if d.sid != nil {  // accepted before a crash kept it from done/
            try outbox.complete(id)
            return
        }
        guard let number = try phone(item.person) else {
            return try park(id, item, &d, "no number for \(item.person): set it with `ml-connector secret set \(SecretName.phonePrefix)\(item.person)`", &summary)
        }
        let body = try openBody(item.sealedBody)
        if let started = d.started, let m = try lookup(number, body, since: started) {
            return try accept(id, item, &d, m, number: number, body: body, recovered: true, &summary)
        }
        var unclear = 0
        while true {
            if now() - (d.since ?? item.queued) > maxAge {
                return try park(id, item, &d, "not sent within twilio.max_age_minutes (\(Int(maxAge / 60)) minutes)", &summary)
            }
            if d.attempts >= maxAttempts {
                return try park(id, item, &d, "still not sent after \(d.attempts) attempts (twilio.max_attempts)", &summary)
            }
            d.attempts += 1
            d.started = now()
            try deliveries.record(id, d)
            switch try gateway.create(to: number, body: body) {
            case .accepted(let m):
                return try accept(id, item, &d, m, number: number, body: body, recovered: false, &summary)
            case .refused(let code, let message):
                d.started = nil
                d.errorCode = code
                return try park(id, item, &d, "Twilio refused it: \(code) \(redact(message, number, item.person))", &summary)
            case .notSent(let reason):
                d.started = nil
                try deliveries.record(id, d)
                try outbox.release(id)
                summary.stopped = redact(reason, number, item.person)
                return
            case .unknown(let reason):
                unclear += 1
                if unclear >= unclearPerRun {
                    try outbox.release(id)
                    summary.stopped = redact(reason, number, item.person)
                    return
                }
                sleep(backoff(unclear))
                if let m = try lookup(number, body, since: d.started!) {
                    return try accept(id, item, &d, m, number: number, body: body, recovered: true, &summary)
                }
            }
        }
    }

    /// The message an earlier attempt may have created: same number and body, created
    /// since that attempt (less a minute for clocks that disagree).
    private func lookup(_ number: String, _ body: String, since: Double) throws -> TwilioMessage? {
        try gateway.recent(to: number, since: since - 60).first { $0.to == number && $0.body == body }
    }

    private func accept(_ id: String, _ item: AlertItem, _ d: inout Delivery, _ m: TwilioMessage, number: String, body: String,
                        recovered: Bool, _ summary: inout Summary) throws {
        d.sid = m.sid
        d.status = m.status
        d.errorCode = nil
        try deliveries.record(id, d)
        try audit.record(AuditEntry(
            action: "sms", source: item.table, id: item.record, outcome: recovered ? "sent-found" : "sent", target: m.sid,
            detail: ["rule": item.rule, "person": item.person, "outbox_id": id, "status": m.status, "segments": String(m.segments),
                     "transition": "\(item.from)->\(item.to)", "attempts": String(d.attempts)],
            personal: try seal(AlertSender.personal(number, body))), durable: true)
        try outbox.complete(id)
        if recovered { summary.found += 1 } else { summary.sent += 1 }
    }

    private func park(_ id: String, _ item: AlertItem, _ d: inout Delivery, _ reason: String, _ summary: inout Summary) throws {
        d.parked = true
        d.started = nil
        try deliveries.record(id, d)
        try outbox.fail(id, reason: reason)
        try attention.add(AttentionItem(source: "twilio", id: id, reason: "SMS for \(item.table) \(item.record) (\(item.rule)) to \(item.person): \(reason)",
                                        action: "fix the cause, then `ml-connector replay --source twilio \(id)`"))
        try audit.record(AuditEntry(action: "sms", source: item.table, id: item.record, outcome: "failed", reason: reason,
                                    detail: ["rule": item.rule, "person": item.person, "outbox_id": id, "attempts": String(d.attempts)]),
                         durable: true)
        summary.parked += 1
    }

    static func personal(_ number: String, _ body: String) -> String {
        var w = JSONObjectWriter()
        w.field("body", body)
        w.field("to", number)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Twilio's messages quote the number (21211 "The 'To' number +1... is not valid"):
    /// reasons land in plain-text files, so the number becomes the person's secret name.
    private func redact(_ text: String, _ number: String, _ person: String) -> String {
        text.replacing(number, with: SecretName.phonePrefix + person)
    }
}
