import ConnectorKit
import Foundation
import WebhookCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Status callbacks as Twilio posts them (twilio.com/docs/messaging/guides/track-outbound-
/// message-status): a form-encoded POST to the message's `StatusCallback` for every status
/// after the first (none for the initial `queued`/`accepted`: twilio.com/docs/messaging/
/// guides/outbound-message-status-in-status-callbacks; whether Twilio always calls back
/// `sending` is not confirmed, the sandbox does), carrying `MessageSid`,
/// `MessageStatus`, `SmsSid`, `SmsStatus`, `AccountSid`, `From`, `To`, `ApiVersion`,
/// `MessagingServiceSid` when one was used and `ErrorCode` on failed/undelivered, signed
/// with `X-Twilio-Signature` (`TwilioSignature`): by default with the auth token over the
/// StatusCallback as given; the switches in `SandboxOptions` sign with a SharedKey
/// (naming it in X-Twilio-Webhooks-Signature-Settings) and/or over the URL with its port
/// toggled. Not retried: Twilio posts each once.
enum TwilioCallbacks {
    struct Job: Sendable {
        let sid: String
        let url: String
        let status: String
        let params: [(String, String)]
        let signing: SandboxOptions.TwilioCallbackSigning
        let signedURLPort: SandboxOptions.TwilioSignedURLPort

        /// The URL the signature covers: `url`, or the form of it with the port toggled.
        var signedURL: String {
            guard signedURLPort == .toggled else { return url }
            return TwilioSignature.urlForms(url).first { $0 != url } ?? url
        }

        /// The signature headers as Twilio would send them.
        var signatureHeaders: [(String, String)] {
            let params = self.params.map { (name: $0.0, value: $0.1) }
            switch signing {
            case .authToken:
                // Always the account's Auth Token, even for messages sent with an API Key.
                return [("X-Twilio-Signature", TwilioSignature.expected(authToken: SeedData.twilioAuthToken, url: signedURL, parameters: params))]
            case .sharedKeySHA1, .sharedKeySHA256:
                return [("X-Twilio-Signature", TwilioSignature.expected(authToken: SeedData.twilioWebhookSharedKeySecret, url: signedURL,
                                                                        parameters: params, algorithm: signing.algorithm)),
                        ("X-Twilio-Webhooks-Signature-Settings", "key=\(SeedData.twilioWebhookSharedKeyId),algorithm=\(signing.algorithm.rawValue)")]
            }
        }
    }

    /// The posts the given status changes cause, in the order they happened (reversed
    /// and/or doubled when the store says callbacks misbehave).
    static func jobs(_ moved: [(sid: String, steps: [TwilioMessage.Step])], _ s: TwilioStore, _ options: SandboxOptions) -> [Job] {
        let signing = s.callbackSigning ?? options.twilioCallbackSigning, port = s.signedURLPort ?? options.twilioSignedURLPort
        var out: [Job] = []
        for (sid, steps) in moved {
            guard let m = s.message(sid), let url = m.statusCallback else { continue }
            var batch = steps.map { step -> Job in
                var p: [(String, String)] = [
                    ("AccountSid", m.accountSid), ("ApiVersion", TwilioAPI.apiVersion), ("From", m.from ?? ""),
                    ("MessageSid", m.sid), ("MessageStatus", step.status), ("SmsSid", m.sid), ("SmsStatus", step.status),
                    ("To", m.to),
                ]
                if let service = m.messagingServiceSid { p.append(("MessagingServiceSid", service)) }
                if let code = step.errorCode { p.append(("ErrorCode", String(code))) }
                return Job(sid: sid, url: url, status: step.status, params: p, signing: signing, signedURLPort: port)
            }
            if s.callbacksOutOfOrder { batch.reverse() }
            if s.callbacksDuplicated { batch = batch.flatMap { [$0, $0] } }
            out += batch
        }
        return out
    }

    /// Posts the jobs one after another in the background and records each outcome on its
    /// message (`GET /_control/twilio/messages`).
    static func post(_ jobs: [Job], _ state: SandboxState) {
        guard !jobs.isEmpty else { return }
        Task {
            for job in jobs {
                let (status, error) = await send(job)
                let delivery = TwilioMessage.Delivery(status: job.status, at: SandboxClock.now(), httpStatus: status, error: error)
                state.world.withLock { $0.twilio.record(job.sid, delivery) }
            }
        }
    }

    private static func send(_ job: Job) async -> (Int?, String?) {
        guard let url = URL(string: job.url) else { return (nil, "invalid StatusCallback URL") }
        var request = URLRequest(url: url, timeoutInterval: 15)
        request.httpMethod = "POST"
        request.httpBody = Data(FormEncoding.encode(job.params).utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("TwilioProxy/1.1", forHTTPHeaderField: "User-Agent")
        for (name, value) in job.signatureHeaders { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode, nil)
        } catch {
            return (nil, error.localizedDescription)
        }
    }
}

/// The time-driven lifecycle: every `--twilio-status-step` seconds a message moves one
/// status on (queued -> sending -> sent -> delivered) and its callbacks go out. A task the
/// server starts with its listener and cancels in `stop()`.
struct TwilioTicker: Sendable {
    let state: SandboxState

    func run() async {
        let step = state.options.twilioStatusStep
        guard step > 0 else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(max(20, Int(step * 250))))
            let now = SandboxClock.now()
            let jobs = state.world.withLock { w in TwilioCallbacks.jobs(w.twilio.tick(now: now, stepSeconds: step), w.twilio, state.options) }
            TwilioCallbacks.post(jobs, state)
        }
    }
}
