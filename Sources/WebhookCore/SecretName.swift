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

    /// HubSpot Private App token (api-notes: "service keys" replace private apps from late
    /// 2026; either is a Bearer token, so one name covers both).
    public static let hubspotToken = "hubspot_token"

    public static let all = [sysproOperatorPassword, sysproCompanyPassword, sysproODataPassword,
                             shipbobPAT, shipbobClientSecret, shipbobRefreshToken, shipbobWebhookSecret, hubspotToken]
}
