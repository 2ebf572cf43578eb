import ConnectorKit
import ConnectorNet
import WebhookCore
import ConnectorConfig
import Secrets

/// How requests authenticate: HTTP Basic with the Account SID and Auth Token, or an API Key
/// SID (`SK...`) and its secret, Twilio's recommended credential (docs/vendors/twilio.md).
public struct TwilioCredentials: Sendable {
    public let user: String
    public let password: String
    /// The secret to name when Twilio refuses the pair.
    public let secretName: String

    public init(user: String, password: String, secretName: String) {
        self.user = user; self.password = password; self.secretName = secretName
    }

    /// The API Key and its secret when `twilio.api_key_sid` is set, else the account and its
    /// Auth Token.
    public static func load(_ t: TwilioSettings, _ secrets: SecretStore, tenant: String) throws -> TwilioCredentials {
        guard let account = t.accountSid else {
            throw ConfigError(file: "config.json", key: "twilio.account_sid", problem: "is not set")
        }
        if let keySid = t.apiKeySid {
            return TwilioCredentials(user: keySid, password: try secrets.require(SecretName.twilioApiKeySecret, tenant: tenant),
                                     secretName: SecretName.twilioApiKeySecret)
        }
        return TwilioCredentials(user: account, password: try secrets.require(SecretName.twilioAuthToken, tenant: tenant),
                                 secretName: SecretName.twilioAuthToken)
    }
}

/// Twilio's Messages API: create, and the lookups an ambiguous create needs.
public final class TwilioClient {
    let settings: TwilioSettings
    let account: String
    let credentials: TwilioCredentials
    let http: HTTPClient
    let policy: RetryPolicy
    /// Requests by kind (create, fetch, list), for the run's log line.
    public private(set) var calls: [String: Int] = [:]

    public init(settings: TwilioSettings, account: String, credentials: TwilioCredentials, http: HTTPClient, policy: RetryPolicy) {
        self.settings = settings; self.account = account; self.credentials = credentials; self.http = http; self.policy = policy
    }

    /// `POST .../Messages.json`, form-encoded `To`, `From` or `MessagingServiceSid`, `Body`,
    /// optional `StatusCallback` (docs/vendors/twilio.md). The retry policy repeats 429s (Twilio's 20429
    /// is "never processed and always safe to retry") with backoff and jitter, and requests
    /// that never left; it never repeats a create that may have reached Twilio.
    public func create(to: String, body: String) throws -> SendOutcome {
        var form = [("To", to), ("Body", body)]
        if let service = settings.messagingServiceSid { form.append(("MessagingServiceSid", service)) } else if let from = settings.from { form.append(("From", from)) }
        if let callback = settings.statusCallbackURL { form.append(("StatusCallback", callback)) }
        let request = HTTPRequest(.post, url(TwilioFacts.messages(account)), headers: headers(form: true),
                                  body: URLEncoding.form(form), idempotent: false, basicAuth: (credentials.user, credentials.password))
        calls["create", default: 0] += 1
        let response: HTTPResponse
        do { response = try http.perform(request, policy: policy) } catch let e as RateLimited {
            return .notSent(e.description)
        } catch let e as TransportError {
            return e.nothingSent ? .notSent(e.description) : .unknown(e.description)
        } catch let e as RetriesExhausted {
            return .notSent(e.description)
        }
        return try Self.createOutcome(response, secretName: credentials.secretName)
    }

    /// What Twilio's answer to a create means for the outbox; only refused credentials throw.
    /// Apart from the call so any bytes can be checked against it (Tests/Fuzz/twilio).
    static func createOutcome(_ response: HTTPResponse, secretName: String) throws(VendorError) -> SendOutcome {
        let json = (try? JSONValue.parse(response.body)) ?? .null
        switch response.status {
        case 200, 201:
            do { return .accepted(try TwilioMessage(json: json)) } catch { return .unknown("a 201 without a usable message: \(error)") }
        case 401:
            throw authRejected(json, operation: "create message", secretName: secretName)
        case 429:
            return .notSent("HTTP 429 \(Self.errorText(json))")
        case 500...:
            return .unknown("HTTP \(response.status) \(Self.errorText(json))")
        default:
            return .refused(code: json["code"]?.int64.map(Int.init) ?? response.status, message: Self.errorText(json))
        }
    }

    /// `GET .../Messages/{Sid}.json`.
    public func fetch(_ sid: String) throws -> TwilioMessage? {
        let (status, json) = try get(url(TwilioFacts.message(account, sid)), operation: "fetch")
        return status == 404 ? nil : try TwilioMessage(json: json)
    }

    /// Messages to `to` created at or after `since`, newest first: Twilio lists newest first,
    /// so paging stops at the first older one. `DateSent` cannot narrow it: a message still
    /// queued has no date_sent yet.
    public func recent(to: String, since: Double) throws -> [TwilioMessage] {
        var found: [TwilioMessage] = []
        var next: String? = URLEncoding.url(url(TwilioFacts.messages(account)), query: [("To", to), ("PageSize", "50")])
        while let page = next {
            let (status, json) = try get(page, operation: "list")
            let (rows, nextURI) = try Self.listPage(status: status, json)
            for row in rows {
                let m = try TwilioMessage(json: row)
                if let created = m.created, created < since { return found }
                found.append(m)
            }
            // Twilio's URIs are relative to the API's base (`https://api.twilio.com`), which
            // is `twilio.api_url`, path included.
            next = nextURI.map(url)
        }
        return found
    }

    /// One page of `GET .../Messages.json`: its message rows, newest first (read one by one,
    /// as paging stops at the first older one), and the next page's URI when there is one.
    static func listPage(status: Int, _ json: JSONValue) throws(VendorError) -> (rows: [JSONValue], nextPageURI: String?) {
        guard status == 200, let rows = json["messages"]?.array else {
            throw VendorError(.twilio, .badAnswer, operation: "list messages", message: "HTTP \(status) without a messages array")
        }
        return (rows, json["next_page_uri"]?.string)
    }

    /// The newest message's status (nil when there is none): one cheap authenticated call,
    /// for `ml-connector ping`.
    public func newest() throws -> TwilioMessage? {
        let (_, json) = try get(URLEncoding.url(url(TwilioFacts.messages(account)), query: [("PageSize", "1")]), operation: "list")
        return try json["messages"]?.array?.first.map { try TwilioMessage(json: $0) }
    }

    func get(_ url: String, operation: String) throws -> (Int, JSONValue) {
        calls[operation, default: 0] += 1
        let request = HTTPRequest(.get, url, headers: headers(form: false), basicAuth: (credentials.user, credentials.password))
        return try Self.answer(try http.perform(request, policy: policy), operation: operation, secretName: credentials.secretName)
    }

    /// A read's answer: its status (2xx or 404) and JSON, or the typed error.
    static func answer(_ response: HTTPResponse, operation: String, secretName: String) throws(VendorError) -> (Int, JSONValue) {
        let json = (try? JSONValue.parse(response.body)) ?? .null
        if response.status == 401 { throw authRejected(json, operation: operation, secretName: secretName) }
        guard response.isSuccess || response.status == 404 else {
            throw VendorError(.twilio, .badAnswer, operation: operation, message: "HTTP \(response.status) \(Self.errorText(json))")
        }
        return (response.status, json)
    }

    func url(_ path: String) -> String { URLEncoding.join(settings.apiURL, path) }

    private func headers(form: Bool) -> [(String, String)] {
        form ? [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")] : [("Accept", "application/json")]
    }

    private static func authRejected(_ json: JSONValue, operation: String, secretName: String) -> VendorError {
        VendorError(.twilio, .authRejected, operation: operation,
                    message: "credentials refused (\(errorText(json))); check twilio.account_sid/api_key_sid and `ml-connector secret set \(secretName)`")
    }

    /// `20003 Authenticate`: Twilio's error body is `{code, message, more_info, status}`.
    static func errorText(_ json: JSONValue) -> String {
        let code = json["code"]?.int64.map { "\($0) " } ?? ""
        return code + (json["message"]?.string ?? "no error body")
    }
}
