import ConnectorKit
import Foundation

/// Twilio's Messages API under `/twilio`, standing for `https://api.twilio.com` (docs/vendors/twilio.md,
/// Twilio; twilio.com/docs/messaging/api/message-resource):
/// - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: form-encoded `To`, `From` or
///   `MessagingServiceSid`, `Body` (or `MediaUrl`), optional `StatusCallback`; 201 with the
///   Message;
/// - `GET .../Messages/{Sid}.json` and `GET .../Messages.json` (TwilioMessageList.swift);
/// - `GET .../IncomingPhoneNumbers.json` (TwilioNumbers.swift).
/// HTTP Basic auth with the Account SID and Auth Token or an API Key SID and secret.
struct TwilioAPI {
    static let prefix = "/twilio"
    static let apiVersion = "2010-04-01"
    let state: SandboxState

    /// The account a request names in its path, for the concurrency limit.
    static func account(_ req: SandboxRequest) -> String {
        let p = req.path.split(separator: "/").map(String.init)
        return p.count >= 4 && p[2] == "Accounts" ? p[3] : ""
    }

    /// The concurrency gate the dispatcher passes a request through before anything else
    /// (faults included, so a delayed request holds its place): nil when admitted.
    func enter(_ req: SandboxRequest) -> Reply? {
        let now = SandboxClock.now()
        return state.world.withLock { w in
            if w.twilio.limiter.enter(TwilioAPI.account(req), now: now, concurrency: state.options.twilioConcurrency,
                                      perSecond: state.options.twilioPerSecond) { return nil }
            w.twilio.calls["rate_limited", default: 0] += 1
            return TwilioError.tooManyRequests.reply
        }
    }

    func leave(_ req: SandboxRequest) {
        state.world.withLock { $0.twilio.limiter.leave(TwilioAPI.account(req)) }
    }

    func handle(_ req: SandboxRequest) -> Reply {
        let p = req.path.split(separator: "/").dropFirst().map(String.init)  // drop "twilio"
        let resource = "/" + p.joined(separator: "/")
        let now = SandboxClock.now()
        guard p.count >= 4, p[0] == TwilioAPI.apiVersion, p[1] == "Accounts" else { return TwilioError.notFound(resource).reply }
        guard TwilioAPI.authorized(req, account: p[2]) else {
            state.world.withLock { $0.twilio.calls["unauthorized", default: 0] += 1 }
            return TwilioError.authenticate.reply.adding("www-authenticate", "Basic realm=\"Twilio API\"")
        }
        let account = p[2]
        return state.world.withLock { w in
            switch (req.method, Array(p.dropFirst(3))) {
            case ("POST", ["Messages.json"]):
                w.twilio.calls["create", default: 0] += 1
                switch create(req, account: account, now: now, &w.twilio) {
                case .success(let m): return .json(m.json, status: 201)
                case .failure(let e): return e.reply
                }
            case ("GET", ["Messages.json"]):
                w.twilio.calls["list", default: 0] += 1
                switch TwilioMessageList.page(req, account: account, w.twilio.messages) {
                case .success(let j): return .json(j)
                case .failure(let e): return e.reply
                }
            case ("GET", ["IncomingPhoneNumbers.json"]):
                w.twilio.calls["numbers", default: 0] += 1
                return .json(TwilioNumbers.list(req, account: account, w.twilio))
            case ("GET", let path) where path.count == 2 && path[0] == "Messages" && path[1].hasSuffix(".json"):
                w.twilio.calls["fetch", default: 0] += 1
                let sid = String(path[1].dropLast(5))
                guard let m = w.twilio.message(sid), m.accountSid == account else { return TwilioError.notFound(resource).reply }
                return .json(m.json)
            default:
                return TwilioError.notFound(resource).reply
            }
        }
    }

    /// The Account SID with its Auth Token, or an API Key (`SK...`) with its secret, both
    /// only for the account in the path (docs/vendors/twilio.md; twilio.com/docs/iam/api-keys).
    static func authorized(_ req: SandboxRequest, account: String) -> Bool {
        guard account == SeedData.twilioAccountSid, let h = req.header("authorization"), h.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(h.dropFirst(6)).trimmed) else { return false }
        let pair = String(decoding: data, as: UTF8.self)
        return pair == "\(SeedData.twilioAccountSid):\(SeedData.twilioAuthToken)"
            || pair == "\(SeedData.twilioApiKeySid):\(SeedData.twilioApiKeySecret)"
    }

    /// Validates as Twilio does before creating anything: required parameters (21604
    /// To, 21603 From, 21602 Body), the 1,600-character limit (21617), an E.164 `To`
    /// (21211), a `From` the account owns (21606), geo permissions (21408), opted-out
    /// recipients (21610) and landlines (21614). Every one is permanent: resending the
    /// same request fails the same way.
    private func create(_ req: SandboxRequest, account: String, now: Double, _ s: inout TwilioStore) -> Result<TwilioMessage, TwilioError> {
        let form = FormEncoding.decode(req.bodyText)
        func value(_ name: String) -> String? { form.first { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 } }
        let media = form.filter { $0.name == "MediaUrl" }.count
        guard let to = value("To") else { return .failure(.toRequired) }
        let service = value("MessagingServiceSid")
        let from = value("From")
        guard from != nil || service != nil else { return .failure(.fromRequired) }
        let body = value("Body") ?? ""
        guard !body.isEmpty || media > 0 else { return .failure(.bodyRequired) }
        guard body.count <= 1600 else { return .failure(.bodyTooLong) }
        guard TwilioAPI.isE164(to) else { return .failure(.invalidTo(to)) }
        if let from, from != SeedData.twilioFrom || s.smsIncapable.contains(from) { return .failure(.fromNotOwned(from)) }
        guard s.enabledPrefixes.contains(where: { to.hasPrefix($0) }) else { return .failure(.regionNotEnabled(to)) }
        if s.optedOut.contains(to) { return .failure(.unsubscribed) }
        if s.landlines.contains(to) { return .failure(.notMobile) }
        // A message with a Messaging Service starts `accepted`, any other `queued`
        // (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).
        let initial = TwilioMessage.Step(status: service == nil ? "queued" : "accepted", at: now, errorCode: nil)
        let outcome = s.unreachable.contains(to) ? TwilioMessage.Step(status: "undelivered", at: 0, errorCode: 30003)
            : TwilioMessage.Step(status: "delivered", at: 0, errorCode: nil)
        let m = TwilioMessage(
            sid: TwilioMessage.newSid(), accountSid: account, to: to, from: from, messagingServiceSid: service, body: body,
            numMedia: media, statusCallback: value("StatusCallback"), created: now, status: initial.status, errorCode: nil,
            updated: now, sent: nil, history: [initial], nextStepAt: now + state.options.twilioStatusStep, outcome: outcome)
        s.add(m)
        return .success(m)
    }

    /// A number Twilio could deliver to: E.164 (`+`, at most 15 digits, the first not 0:
    /// twilio.com/docs/glossary/what-e164) and plausible, as real Twilio refuses `+1555`
    /// with 21211 (docs/vendors/twilio.md, "Implausible numbers are refused with 21211"):
    /// at least 7 digits, and in the North American plan (+1) exactly 10 after the 1, the
    /// area code and exchange not starting with 0 or 1.
    static func isE164(_ n: String) -> Bool {
        let digits = Array(n.dropFirst())
        guard n.hasPrefix("+"), (7...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), digits.first != "0" else { return false }
        guard digits.first == "1" else { return true }
        return digits.count == 11 && !["0", "1"].contains(digits[1]) && !["0", "1"].contains(digits[4])
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
