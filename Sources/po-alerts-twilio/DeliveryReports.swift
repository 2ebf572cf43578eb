import ConnectorKit
import Twilio
import WebhookCore

/// Twilio's status callbacks, spooled by webhook-cgi in `spool/twilio/`, recorded against the
/// alerts they report on: the furthest status is kept (callbacks arrive out of order and
/// none comes for the initial status, api-notes), each change is an audit line with the
/// MessageSid, and an undelivered or failed message goes back from `done/` to `failed/`
/// with an attention item, so `ml-connector replay --source twilio` can send it again.
struct DeliveryReports {
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
    var unmatchedKeep: Double = 86_400

    struct Summary: Equatable {
        var recorded = 0
        var undelivered = 0
        var unmatched = 0
        var refused = 0
    }

    func record() throws -> Summary {
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
            var d = changed[id] ?? deliveries[id] ?? Delivery()
            let forward = TwilioFacts.rank(report.status) > TwilioFacts.rank(d.status ?? "")
            // A message found by a lookup after an unclear answer comes with the status
            // Twilio had then, already undelivered maybe: its report is no step forward,
            // yet the SMS has not been parked.
            let unparked = TwilioFacts.undelivered.contains(report.status) && !d.parked && Posix.exists(outbox.path(.done, id))
            guard forward || unparked else { continue }
            d.status = report.status
            d.errorCode = report.errorCode
            var detail = ["outbox_id": id, "status": report.status]
            if let code = report.errorCode { detail["error_code"] = String(code) }
            var reason: String?
            if TwilioFacts.undelivered.contains(report.status) {
                reason = "Twilio reports the SMS \(report.status)" + (report.errorCode.map { " (\($0) \(TwilioFacts.deliveryError($0)))" } ?? "")
                if Posix.exists(outbox.path(.done, id)) {
                    try outbox.fail(id, reason: reason!, from: .done)
                    d.parked = true
                    try attention.add(AttentionItem(source: "twilio", id: id, reason: "\(reason!); message \(report.sid)",
                                                    action: "check the number or wait for the handset, then `ml-connector replay --source twilio \(id)`"))
                }
                summary.undelivered += 1
            }
            changed[id] = d
            entries.append(AuditEntry(action: "delivery", source: "twilio", id: id, outcome: report.status, reason: reason,
                                      target: report.sid, detail: detail))
            summary.recorded += 1
        }
        try deliveries.record(changed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        try audit.record(entries, durable: true)
        try spool.complete(done)
        return summary
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
