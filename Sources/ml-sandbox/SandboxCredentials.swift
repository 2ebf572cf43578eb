import ConnectorKit
import ConnectorNet
import WebhookCore
import ConnectorConfig

/// What `GET /_control/credentials` of ml-sandbox answers.
struct SandboxCredentials {
    var `operator`: String, operatorPassword: String, companyID: String, companyPassword: String
    var odataUser: String, odataPassword: String
    var pat: String, clientID: String, clientSecret: String, refreshToken: String, channelID: Int64?
    var webhookSecret: String
    var hubspotToken: String?
    var twilio: (accountSid: String, authToken: String, apiKeySid: String, apiKeySecret: String, from: String)?
    /// The SharedKey secret the sandbox signs callbacks with under `--twilio-callback-signing shared-key-*`.
    var twilioWebhookSharedKey: String?

    static func fetch(_ base: String) throws -> SandboxCredentials {
        let http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "ml-connector"))
        let url = base + "/_control/credentials"
        let response = try http.send(HTTPRequest(.get, url))
        guard response.status == 200, let json = try? JSONValue.parse(response.body) else {
            throw DataError(source: url, problem: "answered \(response.status); is ml-sandbox serving there?")
        }
        func field(_ section: String?, _ key: String) throws -> String {
            let v: JSONValue? = if let section { json[section]?[key] } else { json[key] }
            guard let s = v?.string else { throw DataError(source: url, problem: "no \(section.map { $0 + "." } ?? "")\(key) in the answer") }
            return s
        }
        return SandboxCredentials(
            operator: try field("syspro", "operator"), operatorPassword: try field("syspro", "operator_password"),
            companyID: try field("syspro", "company_id"), companyPassword: (try? field("syspro", "company_password")) ?? "",
            odataUser: try field("syspro", "odata_user"), odataPassword: try field("syspro", "odata_password"),
            pat: try field("shipbob", "pat"), clientID: try field("shipbob", "client_id"),
            clientSecret: try field("shipbob", "client_secret"), refreshToken: try field("shipbob", "refresh_token"),
            channelID: json["shipbob"]?["channel_id"]?.int64, webhookSecret: try field(nil, "webhook_secret"),
            hubspotToken: json["hubspot"]?["token"]?.string,
            twilio: json["twilio"].flatMap { t in
                guard let a = t["account_sid"]?.string, let tok = t["auth_token"]?.string, let k = t["api_key_sid"]?.string,
                      let ks = t["api_key_secret"]?.string, let f = t["from"]?.string else { return nil }
                return (a, tok, k, ks, f)
            },
            twilioWebhookSharedKey: json["twilio"]?["webhook_shared_key_secret"]?.string)
    }
}
