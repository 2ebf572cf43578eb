import ConnectorKit
import WebhookCore

/// The associated data each kind of value sealed at rest is bound to, besides secrets
/// (bound to their names) and `tokens/` files (bound to their file names). One list, so
/// `ml-connector rotate-key` re-seals every kind under its own context.
public enum SealContext {
    /// An audit line's `personal` field.
    public static let auditPersonal = "audit.personal"
    /// An SMS body in `outbox/twilio/` (`sealed_body`).
    public static let twilioOutbox = "outbox.twilio"
    /// A Twilio status callback's form in `spool/twilio/` (`sealed_body`), sealed by webhook-cgi.
    public static let twilioCallbacks = TwilioCallbackSettings.sealContext
    /// A ShipBob webhook's body in `spool/shipbob/` (`sealed_body`), sealed by webhook-cgi or
    /// the reconcile.
    public static let shipbobWebhooks = SpoolEnvelope.sealContext("shipbob")
}
