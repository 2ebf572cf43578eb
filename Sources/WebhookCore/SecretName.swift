/// The names credentials are stored under in `secrets.json` (`ml-connector secret set NAME`).
public enum SecretName {
    public static let sysproOperatorPassword = "syspro_operator_password"
    /// Optional: SYSPRO lets CompanyPassword be left out.
    public static let sysproCompanyPassword = "syspro_company_password"
    public static let sysproODataPassword = "syspro_odata_password"
    /// ShipBob Personal Access Token (shipbob.auth = "pat").
    public static let shipbobPAT = "shipbob_pat"
    /// ShipBob OAuth client secret and the first refresh token (shipbob.auth = "oauth");
    /// rotated refresh tokens then live sealed in `tokens/shipbob-oauth.json`.
    public static let shipbobClientSecret = "shipbob_client_secret"
    public static let shipbobRefreshToken = "shipbob_refresh_token"
    /// `whsec_...`: verifies ShipBob webhooks in webhook-cgi.
    public static let shipbobWebhookSecret = "shipbob_webhook_secret"

    /// HubSpot Private App token (docs/vendors/hubspot.md: "service keys" replace private apps from late
    /// 2026; either is a Bearer token, so one name covers both).
    public static let hubspotToken = "hubspot_token"

    /// Twilio's Auth Token signs every status callback (X-Twilio-Signature) and, without an
    /// API Key, authenticates requests; the API Key secret goes with `twilio.api_key_sid`.
    public static let twilioAuthToken = "twilio_auth_token"
    public static let twilioApiKeySecret = "twilio_api_key_secret"
    /// The secret of the Twilio SharedKey a Webhook Setting signs status callbacks with
    /// instead of the auth token (docs/vendors/twilio.md, "Webhook Settings signatures
    /// (HMAC-SHA256)"); needed only when callbacks carry X-Twilio-Webhooks-Signature-Settings.
    public static let twilioWebhookSharedKey = "twilio_webhook_shared_key"

    public static let all = [sysproOperatorPassword, sysproCompanyPassword, sysproODataPassword,
                             shipbobPAT, shipbobClientSecret, shipbobRefreshToken, shipbobWebhookSecret, hubspotToken,
                             twilioAuthToken, twilioApiKeySecret, twilioWebhookSharedKey]

    /// A person's phone number for SMS alerts (`phone.kmo`), named in config `alerts`.
    public static let phonePrefix = "phone."

    /// The fixed names, and `phone.<name>` for alert recipients.
    public static func isKnown(_ name: String) -> Bool {
        if all.contains(name) { return true }
        guard name.hasPrefix(phonePrefix) else { return false }
        let person = name.utf8.dropFirst(phonePrefix.utf8.count)
        return !person.isEmpty && person.count <= 64
            && person.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) || $0 == 0x2d || $0 == 0x5f }
    }
}
