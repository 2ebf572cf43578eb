import ConnectorKit
import WebhookCore
import Secrets

/// One SMS waiting in `outbox/twilio/`: which event, for whom, and the body sealed with the
/// master key (message bodies are personal data at rest, issue 5). The number is not in
/// it: it is the person's `phone.<name>` secret, read when sending, so fixing a wrong
/// number and replaying reaches the right phone.
public struct AlertItem: Equatable {
    public var rule: String
    public var table: String
    public var record: String
    public var person: String
    public var from: String
    public var to: String
    /// Seconds since 1970 when the event was queued: `twilio.max_age_minutes` counts from here.
    public var queued: Double
    public var sealedBody: String

    public static let sealContext = SealContext.twilioOutbox

    public var bytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("from", from)
        w.field("person", person)
        w.field("queued", number: queued)
        w.field("record", record)
        w.field("rule", rule)
        w.field("sealed_body", sealedBody)
        w.field("table", table)
        w.field("to", to)
        return w.bytes
    }

    public init(rule: String, table: String, record: String, person: String, from: String, to: String, queued: Double, sealedBody: String) {
        self.rule = rule; self.table = table; self.record = record; self.person = person
        self.from = from; self.to = to; self.queued = queued; self.sealedBody = sealedBody
    }

    public init(bytes: [UInt8], source: String) throws {
        let j: JSONValue
        do { j = try JSONValue.parse(bytes) } catch { throw DataError(source: source, problem: "is not JSON: \(error)") }
        guard let rule = j["rule"]?.string, let table = j["table"]?.string, let record = j["record"]?.string,
              let person = j["person"]?.string, let queued = j["queued"]?.double, let sealed = j["sealed_body"]?.string else {
            throw DataError(source: source, problem: "is not an alert (rule, table, record, person, queued, sealed_body)")
        }
        self.init(rule: rule, table: table, record: record, person: person, from: j["from"]?.string ?? "",
                  to: j["to"]?.string ?? "", queued: queued, sealedBody: sealed)
    }
}

/// What happened to an outbox item at Twilio, journaled before and after each request:
/// `started` without `sid` after a crash or an unclear answer means the message may exist,
/// so it is looked up before it is sent again.
public struct Delivery: JSONRecord, Equatable {
    public var attempts = 0
    /// When the request that may have created the message went out.
    public var started: Double?
    /// That request's answer came (an unclear one: the item waits with `started` set). Not
    /// set after a crash mid-request, whose request may still create the message at Twilio.
    public var answered = false
    public var sid: String?
    /// The furthest status Twilio reported (the create's answer, then callbacks).
    public var status: String?
    public var errorCode: Int?
    /// Parked in `failed/`: a pending item with this set was requeued by `ml-connector replay`.
    public var parked = false
    /// When the current round of attempts began (a replay starts a new one).
    public var since: Double?
    /// When the status poll last fetched the message (absent in files of earlier releases).
    public var polled: Double?

    public init() {}

    public var jsonBytes: [UInt8] {
        var w = JSONObjectWriter()
        if answered { w.field("answered", raw: Array("true".utf8)) }
        w.field("attempts", number: Double(attempts))
        if let errorCode { w.field("error_code", number: Double(errorCode)) }
        if parked { w.field("parked", raw: Array("true".utf8)) }
        if let polled { w.field("polled", number: polled) }
        w.field("sid", sid)
        if let since { w.field("since", number: since) }
        if let started { w.field("started", number: started) }
        w.field("status", status)
        return w.bytes
    }

    public init(json: JSONValue, source: String) throws {
        guard let a = json["attempts"]?.int64 else { throw DataError(source: source, problem: "a delivery lacks \"attempts\"") }
        attempts = Int(a)
        started = json["started"]?.double
        sid = json["sid"]?.string
        status = json["status"]?.string
        errorCode = json["error_code"]?.int64.map(Int.init)
        if case .bool(true)? = json["parked"] { parked = true }
        if case .bool(true)? = json["answered"] { answered = true }
        since = json["since"]?.double
        polled = json["polled"]?.double
    }
}
