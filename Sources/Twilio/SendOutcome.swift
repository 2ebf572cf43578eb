import ConnectorKit

/// How one attempt to create a message ended, in the terms the outbox acts on.
public enum SendOutcome: Sendable, Equatable {
    /// 201: Twilio holds the message.
    case accepted(TwilioMessage)
    /// A 4xx Twilio error such as 21211 invalid number or 21610 unsubscribed (docs/vendors/twilio.md):
    /// the same request fails the same way, so the alert is parked at once.
    case refused(code: Int, message: String)
    /// Certainly not created (429/20429 "never processed", or no byte sent): safe to resend.
    case notSent(String)
    /// Perhaps created (a 5xx, a timeout or a broken connection after the request went
    /// out): Twilio has no idempotency key, so the message is looked up before any resend.
    case unknown(String)
}
