import ConnectorKit
import ConnectorNet
import Twilio
import WebhookCore

/// Twilio's status callbacks, spooled by webhook-cgi in `spool/twilio/`, and the statuses the
/// status poll fetches for messages whose callback never came, recorded against the alerts
/// they report on: the furthest status is kept (callbacks arrive out of order and
/// none comes for the initial status, docs/vendors/twilio.md), each change is an audit line with the
/// MessageSid, and an undelivered or failed message goes back from `done/` to `failed/`
/// with an attention item, so `ml-connector replay --source twilio` can send it again.
public struct DeliveryReports {
    let spool: SpoolQueue
    let outbox: SpoolQueue
    let deliveries: JournaledMap<Delivery>
    let audit: AuditLog
    let attention: AttentionBox
    /// Opens a spooled `sealed_body` (the raw form).
    let open: (String) throws -> [UInt8]
    let now: () -> Double
    /// How long a callback for a message this tenant has no record of is kept: its
    /// create's answer may not be recorded yet (a run killed in between, then looked up).
    public var unmatchedKeep: Double = 86_400

    public init(spool: SpoolQueue, outbox: SpoolQueue, deliveries: JournaledMap<Delivery>, audit: AuditLog, attention: AttentionBox,
                open: @escaping (String) throws -> [UInt8], now: @escaping () -> Double) {
        self.spool = spool; self.outbox = outbox; self.deliveries = deliveries; self.audit = audit; self.attention = attention
        self.open = open; self.now = now
    }

    public struct Summary: Equatable {
        public var recorded = 0
        public var undelivered = 0
        public var unmatched = 0
        public var refused = 0
    }

    public func record() throws -> Summary {
        try spool.prepare()
        try spool.recover()
        var summary = Summary()
        var bySid: [String: String] = [:]
        for (id, d) in deliveries.entries { if let sid = d.sid { bySid[sid] = id } }
        var changed: [String: Delivery] = [:], entries: [AuditEntry] = [], done: [String] = []
        for spoolID in try spool.pending() {
            guard try spool.claim(spoolID) else { continue }
            let report: (sid: String, status: String, errorCode: Int?, received: Double)
            do { report = try read(spoolID) } catch {
                try spool.fail(spoolID, reason: "\(error)")
                summary.refused += 1
                continue
            }
            guard let id = bySid[report.sid] else {
                if now() - report.received < unmatchedKeep { try spool.release(spoolID); continue }
                entries.append(AuditEntry(action: "delivery", source: "twilio", id: report.sid, outcome: "unmatched",
                                          reason: "no alert of this tenant has this MessageSid", detail: ["status": report.status]))
                summary.unmatched += 1
                done.append(spoolID)
                continue
            }
            done.append(spoolID)
            let d = changed[id] ?? deliveries[id] ?? Delivery()
            if let after = try apply(id, d, sid: report.sid, status: report.status, errorCode: report.errorCode, via: nil, &entries, &summary) {
                changed[id] = after
            }
        }
        try deliveries.record(changed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        try audit.record(entries, durable: true)
        try spool.complete(done)
        return summary
    }

    /// Records one status Twilio reported for outbox item `id` (a callback, or a poll's
    /// fetch): the furthest is kept, and an undelivered or failed SMS goes back from
    /// `done/` to `failed/` with an attention item. Nil when it changes nothing.
    private func apply(_ id: String, _ before: Delivery, sid: String, status: String, errorCode: Int?, via: String?,
                       _ entries: inout [AuditEntry], _ summary: inout Summary) throws -> Delivery? {
        var d = before
        let forward = TwilioFacts.rank(status) > TwilioFacts.rank(d.status ?? "")
        // A message found by a lookup after an unclear answer comes with the status
        // Twilio had then, already undelivered maybe: its report is no step forward,
        // yet the SMS has not been parked.
        let unparked = TwilioFacts.undelivered.contains(status) && !d.parked && Posix.exists(outbox.path(.done, id))
        guard forward || unparked else { return nil }
        d.status = status
        d.errorCode = errorCode
        var detail = ["outbox_id": id, "status": status]
        if let code = errorCode { detail["error_code"] = String(code) }
        if let via { detail["via"] = via }
        var reason: String?
        if TwilioFacts.undelivered.contains(status) {
            reason = "Twilio reports the SMS \(status)" + (errorCode.map { " (\($0) \(TwilioFacts.deliveryError($0)))" } ?? "")
            if Posix.exists(outbox.path(.done, id)) {
                try outbox.fail(id, reason: reason!, from: .done)
                d.parked = true
                try attention.add(AttentionItem(source: "twilio", id: id, reason: "\(reason!); message \(sid)",
                                                action: "check the number or wait for the handset, then `ml-connector replay --source twilio \(id)`"))
            }
            summary.undelivered += 1
        }
        entries.append(AuditEntry(action: "delivery", source: "twilio", id: id, outcome: status, reason: reason, target: sid, detail: detail))
        summary.recorded += 1
        return d
    }

    /// The status poll (docs/vendors/twilio.md, "Status poll"): an SMS sent at least
    /// `after` seconds ago whose status is not final is fetched from Twilio (`GET
    /// .../Messages/{Sid}.json`), at most once per `after`, and its status recorded exactly
    /// as its callback would have been, so a lost callback never leaves a message unknown
    /// or unreplayed. Messages older than `TwilioFacts.statusSettled` are left as they are.
    /// Twilio unavailable ends the poll (the next run polls again); refused credentials throw.
    public func poll(after: Double, fetch: (String) throws -> TwilioMessage?) throws -> (summary: Summary, fetched: Int, stopped: String?) {
        var summary = Summary(), fetched = 0, stopped: String?
        var changed: [(key: String, value: Delivery?)] = [], entries: [AuditEntry] = []
        let t = now()
        for (id, d) in deliveries.entries.sorted(by: { $0.key < $1.key }) {
            guard let sid = d.sid, !d.parked, TwilioFacts.rank(d.status ?? "") < TwilioFacts.rank("delivered"),
                  let sent = d.started ?? d.since, t - sent >= after, t - sent <= TwilioFacts.statusSettled,
                  t - (d.polled ?? 0) >= after else { continue }
            let m: TwilioMessage?
            do { m = try fetch(sid) } catch let e as VendorError where e.vendor == .twilio && e.kind == .authRejected { throw e } catch {
                stopped = "\(error)"
                break
            }
            fetched += 1
            var after = d
            if let m, let applied = try apply(id, d, sid: sid, status: m.status, errorCode: m.errorCode, via: "poll", &entries, &summary) {
                after = applied
            }
            after.polled = t
            changed.append((id, after))
        }
        try deliveries.record(changed)
        try audit.record(entries, durable: true)
        return (summary, fetched, stopped)
    }

    /// The callback's MessageSid, MessageStatus and ErrorCode, from the sealed form.
    private func read(_ id: String) throws -> (sid: String, status: String, errorCode: Int?, received: Double) {
        let source = spool.path(.cur, id)
        let envelope = try JSONValue.parse(try spool.read(id))
        guard let sealed = envelope["sealed_body"]?.string else { throw DataError(source: source, problem: "no sealed_body") }
        let form = try FormURLEncoded.decode(try open(sealed))
        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard let sid = field("MessageSid"), let status = field("MessageStatus") else {
            throw DataError(source: source, problem: "the callback lacks MessageSid or MessageStatus")
        }
        let received = envelope["received_at"]?.string.flatMap { Timestamp.parse($0) }?.timeIntervalSince1970 ?? now()
        return (sid, status, field("ErrorCode").flatMap { Int($0) }, received)
    }
}
