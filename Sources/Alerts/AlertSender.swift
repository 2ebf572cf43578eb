import ConnectorKit
import Twilio
import WebhookCore
import ConnectorNet

/// What the sender needs from Twilio; `TwilioClient` is the live one.
public protocol SMSGateway {
    func create(to: String, body: String) throws -> SendOutcome
    func recent(to: String, since: Double) throws -> [TwilioMessage]
}

extension TwilioClient: SMSGateway {}

/// Sends what waits in `outbox/twilio/new/`, each item at most once at Twilio:
/// - before the requests, each attempt is journaled (`deliveries.json`); after a crash or
///   an unclear answer the message is looked up at Twilio before any resend, because
///   message creation has no idempotency key (docs/vendors/twilio.md);
/// - a refusal (invalid or unsubscribed number, ...) parks the item in `failed/` at once,
///   with Twilio's message and an attention item, for `ml-connector replay`;
/// - 429s are retried with backoff and jitter by the HTTP retry policy; when Twilio still
///   will not take messages, the run stops and the items wait for the next one;
/// - an item past `twilio.max_attempts` or `max_age_minutes` is parked instead;
/// - an attempt a crash cut short is not made again while its request may still be
///   running at Twilio (`PostInFlight.window`): a lookup cannot see a message Twilio has
///   not created yet, and the item waits for a later run.
/// Items go in batches so the file system commits a few times per batch, not per message:
/// what is recorded after the requests (sids, audit, done/) can be lost to a crash without
/// harm, since the journaled attempt makes the next run look the message up.
public struct AlertSender {
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
    /// How long a create cut short by a crash may still run at Twilio (`PostInFlight.window`).
    let inFlightWindow: Double
    /// Unclear answers in a row for one item before the run gives up on Twilio for now.
    public var unclearPerRun = 3
    public var batchSize = 50
    let backoff: (Int) -> Double
    let sleep: (Double) -> Void
    let now: () -> Double

    public init(gateway: SMSGateway, outbox: SpoolQueue, deliveries: JournaledMap<Delivery>, audit: AuditLog, attention: AttentionBox,
                phone: @escaping (String) throws -> String?, openBody: @escaping (String) throws -> String,
                seal: @escaping (String) throws -> String, maxAttempts: Int, maxAge: Double, inFlightWindow: Double,
                backoff: @escaping (Int) -> Double, sleep: @escaping (Double) -> Void, now: @escaping () -> Double) {
        self.gateway = gateway; self.outbox = outbox; self.deliveries = deliveries; self.audit = audit; self.attention = attention
        self.phone = phone; self.openBody = openBody; self.seal = seal; self.maxAttempts = maxAttempts; self.maxAge = maxAge
        self.inFlightWindow = inFlightWindow; self.backoff = backoff; self.sleep = sleep; self.now = now
    }

    public struct Summary: Equatable {
        public var sent = 0
        public var found = 0
        public var parked = 0
        /// Items whose attempt a crash cut short and that may still be created at Twilio:
        /// they wait for a later run.
        public var inFlight = 0
        /// Why sending stopped early (Twilio unavailable or limiting); the rest waits.
        public var stopped: String?
    }

    /// An item claimed for this batch, with its number and opened body.
    private struct Claimed {
        let id: String
        let item: AlertItem
        var d: Delivery
        let number: String
        let body: String
    }

    /// How one item's attempts ended.
    private enum Result {
        case accepted(TwilioMessage, recovered: Bool)
        case refused(String)
        /// Twilio would not take it now: it waits for the next run, and so does the rest.
        case stop(String)
    }

    public func sendPending() throws -> Summary {
        var summary = Summary()
        let pending = try outbox.pending()
        // Messages already recorded for an item: a lookup must not take one for another item
        // (the same alert text to the same person twice within a minute).
        var taken = Set(deliveries.entries.values.compactMap(\.sid))
        for start in stride(from: 0, to: pending.count, by: batchSize) where summary.stopped == nil {
            try sendBatch(Array(pending[start..<min(start + batchSize, pending.count)]), &summary, &taken)
        }
        return summary
    }

    private func sendBatch(_ ids: [String], _ summary: inout Summary, _ taken: inout Set<String>) throws {
        var ready: [Claimed] = [], finished: [(Claimed, TwilioMessage, Bool)] = [], alreadyDone: [String] = []
        var waiting: [Claimed] = []
        for id in ids {
            guard try outbox.claim(id) else { continue }
            let item = try AlertItem(bytes: Array(try outbox.read(id)), source: outbox.path(.cur, id))
            var d = deliveries[id] ?? Delivery()
            if d.parked {  // `ml-connector replay` put it back: a new round
                d = Delivery()
                d.since = now()
            }
            if d.sid != nil { alreadyDone.append(id); continue }  // accepted before a crash kept it from done/
            guard let number = try phone(item.person) else {
                try park(id, item, &d, "no number for \(item.person): set it with `ml-connector secret set \(SecretName.phonePrefix)\(item.person)`", &summary)
                continue
            }
            let c = Claimed(id: id, item: item, d: d, number: number, body: try openBody(item.sealedBody))
            if let started = d.started, let m = try lookup(c, since: started, taken) {
                taken.insert(m.sid)
                finished.append((c, m, true))
            } else if let started = d.started, !d.answered, PostInFlight.mayStillCommit(age: now() - started, window: inFlightWindow) {
                waiting.append(c)
                summary.inFlight += 1
            } else if let reason = try exhausted(c) {
                var d = c.d
                try park(id, item, &d, reason, &summary)
            } else {
                ready.append(c)
            }
        }
        for i in ready.indices {
            ready[i].d.attempts += 1
            ready[i].d.started = now()
            ready[i].d.answered = false
        }
        try deliveries.record(ready.map { ($0.id, $0.d) })  // the one commit before the requests

        for var c in ready {
            guard summary.stopped == nil else {  // not tried: its attempt was not made
                c.d.attempts -= 1
                c.d.started = nil
                waiting.append(c)
                continue
            }
            switch try attempt(&c, taken) {
            case .accepted(let m, let recovered):
                taken.insert(m.sid)
                finished.append((c, m, recovered))
            case .refused(let reason): try park(c.id, c.item, &c.d, reason, &summary)
            case .stop(let reason):
                summary.stopped = redact(reason, c)
                c.d.answered = true
                waiting.append(c)
            }
        }

        var records: [(key: String, value: Delivery?)] = waiting.map { ($0.id, $0.d) }
        var entries: [AuditEntry] = []
        for (c, m, recovered) in finished {
            var d = c.d
            d.sid = m.sid
            d.status = m.status
            d.errorCode = nil
            records.append((c.id, d))
            entries.append(AuditEntry(
                action: "sms", source: c.item.table, id: c.item.record, outcome: recovered ? "sent-found" : "sent", target: m.sid,
                detail: ["rule": c.item.rule, "person": c.item.person, "outbox_id": c.id, "status": m.status, "segments": String(m.segments),
                         "transition": "\(c.item.from)->\(c.item.to)", "attempts": String(d.attempts)],
                personal: try seal(AlertSender.personal(c.number, c.body))))
            if recovered { summary.found += 1 } else { summary.sent += 1 }
        }
        try deliveries.record(records)
        try audit.record(entries, durable: true)
        for c in waiting { try outbox.release(c.id) }
        try outbox.complete(alreadyDone + finished.map(\.0.id))
    }

    /// Why the item may not be tried again, if so.
    private func exhausted(_ c: Claimed) throws -> String? {
        if now() - (c.d.since ?? c.item.queued) > maxAge { return "not sent within twilio.max_age_minutes (\(Int(maxAge / 60)) minutes)" }
        if c.d.attempts >= maxAttempts { return "still not sent after \(c.d.attempts) attempts (twilio.max_attempts)" }
        return nil
    }

    /// Creates the message; after an unclear answer, backs off, looks it up and only then
    /// tries again, each further attempt journaled first.
    private func attempt(_ c: inout Claimed, _ taken: Set<String>) throws -> Result {
        var unclear = 0
        while true {
            switch try gateway.create(to: c.number, body: c.body) {
            case .accepted(let m):
                return .accepted(m, recovered: false)
            case .refused(let code, let message):
                c.d.started = nil
                c.d.errorCode = code
                return .refused("Twilio refused it: \(code) \(redact(message, c))")
            case .notSent(let reason):
                c.d.started = nil
                return .stop(reason)
            case .unknown(let reason):
                unclear += 1
                if unclear >= unclearPerRun { return .stop(reason) }
                sleep(backoff(unclear))
                if let m = try lookup(c, since: c.d.started!, taken) { return .accepted(m, recovered: true) }
                if let why = try exhausted(c) { return .refused(why) }
                c.d.attempts += 1
                try deliveries.record(c.id, c.d)
            }
        }
    }

    /// The message an earlier attempt may have created: same number and body, created
    /// since that attempt (less a minute for clocks that disagree).
    private func lookup(_ c: Claimed, since: Double, _ taken: Set<String>) throws -> TwilioMessage? {
        try gateway.recent(to: c.number, since: since - 60).first { $0.to == c.number && $0.body == c.body && !taken.contains($0.sid) }
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

    /// What an audit line seals of a message: the number and the body.
    public static func personal(_ number: String, _ body: String) -> String {
        var w = JSONObjectWriter()
        w.field("body", body)
        w.field("to", number)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Twilio's messages quote the number (21211 "The 'To' number +1... is not valid"):
    /// reasons land in plain-text files, so the number becomes the person's secret name.
    private func redact(_ text: String, _ c: Claimed) -> String {
        text.replacing(c.number, with: SecretName.phonePrefix + c.item.person)
    }
}
