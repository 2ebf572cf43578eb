/// The one key of the `twilio` section webhook-cgi needs (the Twilio module's `TwilioSettings` is
/// the whole section for the jobs and `config check`).
public struct TwilioCallbackSettings: Sendable, Equatable {
    /// The spooled callback body names the recipient and sender (`To`, `From`): personal
    /// data, so webhook-cgi seals it with the master key under this context and
    /// `po-alerts-twilio` opens it with the same.
    public static let sealContext = SpoolEnvelope.sealContext("twilio")

    /// The public URL Twilio was given as `StatusCallback`. Twilio signs exactly that URL
    /// (twilio.com/docs/usage/webhooks/webhooks-security: "the Webhook URL set in Twilio"),
    /// and behind TLS termination or a proxy it differs from what nginx reports (scheme,
    /// host, port), so the signature is checked against this and never against HTTP_HOST.
    public var statusCallbackURL: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(config: ConfigDocument) throws -> TwilioCallbackSettings {
        guard let value = config.root["twilio"]?["status_callback_url"] else {
            throw Failure(description: "\(config.path): twilio.status_callback_url is not set; set it to the public URL given to Twilio as StatusCallback (https://<host>/webhooks/<tenant>/twilio)")
        }
        guard case .string(let url) = value, isAbsoluteHTTPURL(url) else {
            throw Failure(description: "\(config.path): twilio.status_callback_url expected an absolute http(s) URL")
        }
        return TwilioCallbackSettings(statusCallbackURL: url)
    }

    /// `http://` or `https://`, a host, no spaces: the shape a StatusCallback must have.
    public static func isAbsoluteHTTPURL(_ s: String) -> Bool {
        let rest: Substring
        if s.hasPrefix("https://") { rest = s.dropFirst(8) }
        else if s.hasPrefix("http://") { rest = s.dropFirst(7) }
        else { return false }
        return !rest.isEmpty && rest.first != "/" && !s.utf8.contains { $0 <= 0x20 || $0 == 0x7f }
    }

    /// The URL the signature covers: the configured one, plus the request's query string
    /// when the configured URL has none of its own (Twilio signs the full URL it called,
    /// query included: docs/vendors/twilio.md, whose vector URL carries `?foo=1&bar=2`).
    public func signedURL(queryString: String?) -> String {
        guard let q = queryString, !q.isEmpty, !statusCallbackURL.contains("?") else { return statusCallbackURL }
        return statusCallbackURL + "?" + q
    }
}
