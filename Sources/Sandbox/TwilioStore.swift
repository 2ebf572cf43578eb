import ConnectorKit
import Foundation

/// The Twilio account the sandbox simulates: its messages, the numbers tests mark as
/// opted out, landlines or unreachable, the regions its geo permissions allow, how status
/// callbacks misbehave, and call counters for `GET /_control/twilio/counts`.
struct TwilioStore: Sendable {
    private(set) var messages: [TwilioMessage] = []
    private var bySid: [String: Int] = [:]
    /// Recipients who replied STOP: creating a message to them fails with 21610.
    var optedOut: Set<String> = []
    /// Numbers Twilio's lookup knows as landlines: 21614 at creation.
    var landlines: Set<String> = []
    /// Handsets that never answer: the message ends `undelivered` with 30003.
    var unreachable: Set<String> = []
    /// E.164 prefixes the account's SMS geo permissions allow; others fail with 21408.
    /// New accounts may send to the US and Canada (+1) only.
    var enabledPrefixes: [String] = ["+1"]
    /// The account's numbers a test made unable to send SMS: listed with `sms: false`, and
    /// a create from one fails with 21606.
    var smsIncapable: Set<String> = []
    /// Twilio warns callbacks can arrive out of order and more than once (docs/vendors/twilio.md,
    /// Twilio "Status callbacks"): these make the sandbox do both.
    var callbacksOutOfOrder = false
    var callbacksDuplicated = false
    /// Set by `POST /_control/twilio/callbacks`; nil: the `serve` options' choice.
    var callbackSigning: SandboxOptions.TwilioCallbackSigning?
    var signedURLPort: SandboxOptions.TwilioSignedURLPort?
    var calls: [String: Int] = [:]
    var limiter = TwilioLimiter()

    func message(_ sid: String) -> TwilioMessage? { bySid[sid].map { messages[$0] } }

    mutating func add(_ m: TwilioMessage) {
        bySid[m.sid] = messages.count
        messages.append(m)
    }

    /// Moves a message forward to `target` through the statuses Twilio passes on the way
    /// (accepted -> queued -> sending -> sent -> delivered | undelivered; failed from
    /// queued; read after delivered) and returns the statuses it entered, each of which
    /// gets a status callback. Going backwards or from a final status is refused.
    mutating func advance(_ sid: String, to target: String, errorCode: Int?, now: Double, stepSeconds: Double) throws -> [TwilioMessage.Step] {
        guard let i = bySid[sid] else { throw ControlError("no message \(sid)") }
        let chain = ["accepted", "queued", "sending", "sent"]
        let path: [String]
        let from = messages[i].status
        guard let at = chain.firstIndex(of: from) ?? (from == "delivered" && target == "read" ? chain.count : nil) else {
            throw ControlError("\(sid) is already \(from)")
        }
        switch target {
        case "queued", "sending", "sent":
            let to = chain.firstIndex(of: target)!
            guard to > at else { throw ControlError("\(sid) is \(from): cannot go to \(target)") }
            path = Array(chain[(at + 1)...to])
        case "delivered", "undelivered": path = Array(chain.dropFirst(at + 1)) + [target]
        case "failed": path = (at < 1 ? ["queued"] : []) + ["failed"]
        case "read": path = at == chain.count ? ["read"] : Array(chain.dropFirst(at + 1)) + ["delivered", "read"]
        default: throw ControlError("status must be queued, sending, sent, delivered, undelivered, failed or read")
        }
        let steps = path.map { s in
            TwilioMessage.Step(status: s, at: now, errorCode: s == "failed" || s == "undelivered" ? (errorCode ?? 30008) : nil)
        }
        for step in steps { enter(i, step, stepSeconds: stepSeconds) }
        return steps
    }

    /// One tick of the time-driven lifecycle: every message due moves one status towards
    /// its outcome (all the way when callbacks go out of order, so they can be reversed).
    mutating func tick(now: Double, stepSeconds: Double) -> [(sid: String, steps: [TwilioMessage.Step])] {
        var moved: [(String, [TwilioMessage.Step])] = []
        for i in messages.indices where !messages[i].isFinal && messages[i].nextStepAt <= now {
            let m = messages[i]
            let target = callbacksOutOfOrder ? m.outcome.status : next(after: m.status, outcome: m.outcome.status)
            if let steps = try? advance(m.sid, to: target, errorCode: m.outcome.errorCode, now: now, stepSeconds: stepSeconds) {
                moved.append((m.sid, steps))
            }
        }
        return moved
    }

    private func next(after status: String, outcome: String) -> String {
        switch status {
        case "accepted": return "queued"
        case "queued": return "sending"
        case "sending": return "sent"
        default: return outcome
        }
    }

    private mutating func enter(_ i: Int, _ step: TwilioMessage.Step, stepSeconds: Double) {
        messages[i].status = step.status
        messages[i].errorCode = step.errorCode
        messages[i].updated = step.at
        messages[i].history.append(step)
        messages[i].nextStepAt = step.at + stepSeconds
        // A Messaging Service picks the sender when the message leaves `accepted`.
        if step.status == "queued", messages[i].from == nil { messages[i].from = SeedData.twilioFrom }
        if step.status == "sent" { messages[i].sent = step.at }
    }

    mutating func record(_ sid: String, _ delivery: TwilioMessage.Delivery) {
        guard let i = bySid[sid] else { return }
        messages[i].callbacks.append(delivery)
    }
}

/// Twilio's API concurrency limit: a request beyond the account's requests in flight, or
/// beyond its requests started in the last second, is answered 429 / 20429 at once and
/// never processed (docs/vendors/twilio.md "Errors").
struct TwilioLimiter: Sendable {
    private var inFlight: [String: Int] = [:]
    private var started: [String: [Double]] = [:]

    mutating func enter(_ account: String, now: Double, concurrency: Int, perSecond: Int) -> Bool {
        var recent = (started[account] ?? []).filter { $0 > now - 1 }
        defer { started[account] = recent }
        guard inFlight[account, default: 0] < concurrency, perSecond == 0 || recent.count < perSecond else { return false }
        recent.append(now)
        inFlight[account, default: 0] += 1
        return true
    }

    mutating func leave(_ account: String) {
        inFlight[account] = max(0, inFlight[account, default: 0] - 1)
    }
}
