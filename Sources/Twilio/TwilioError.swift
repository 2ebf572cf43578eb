import ConnectorKit

/// What Twilio refused or answered that the connector cannot use, naming the call.
public struct TwilioError: ConnectorError {
    public enum Kind: Sendable {
        /// 401/20003: the credentials are wrong; nothing will work until a person fixes them.
        case authRejected
        case badAnswer
    }
    public let kind: Kind
    public let operation: String
    public let message: String
    public var exitStatus: ExitStatus { kind == .authRejected ? .config : .unavailable }
    public var description: String { "Twilio \(operation): \(message)" }
}

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
