import ConnectorKit
import ConnectorNet
import WebhookCore
import Secrets

/// SYSPRO's read-only OData service (OData 4.0, HTTP Basic auth; docs/vendors/syspro.md,
/// "OData page size": page with `$top`/`$skip`, follow `@odata.nextLink` when present, stop
/// on a short page).
public final class ODataClient {
    public let settings: SysproSettings
    private let password: String
    private let http: HTTPClient
    private let policy: RetryPolicy

    public init(settings: SysproSettings, password: String, http: HTTPClient, policy: RetryPolicy) {
        self.settings = settings
        self.password = password
        self.http = http
        self.policy = policy
    }

    /// Reads the OData password (`syspro_odata_password`) from the tenant's secrets.
    public convenience init(settings: SysproSettings, secrets: SecretStore, tenant: TenantPaths,
                            http: HTTPClient, policy: RetryPolicy) throws {
        self.init(settings: settings, password: try secrets.require(SecretName.sysproODataPassword, tenant: tenant.name),
                  http: http, policy: policy)
    }

    /// Every row of `entitySet` matching `filter`, all pages; `top` caps the total.
    public func fetch(entitySet: String, filter: String? = nil, select: [String] = [], orderBy: String? = nil,
                      top: Int? = nil) throws -> [JSONValue] {
        try fetch(entitySet: entitySet, filter: filter, select: select, orderBy: orderBy, top: top) { $0 }
    }

    /// Each row made into a `T` as its page arrives, so a page's JSON is freed before the
    /// next is read (a 100,000-row first poll held every page's rows at once).
    public func fetch<T>(entitySet: String, filter: String? = nil, select: [String] = [], orderBy: String? = nil,
                         top: Int? = nil, each row: (JSONValue) throws -> T) throws -> [T] {
        let pageSize = min(settings.odataPageSize, top ?? .max)
        let base = URLEncoding.join(settings.odataURL, entitySet)
        func pageURL(skip: Int) -> String {
            // `$` stays literal in the option names; the values are fully percent-encoded.
            var options: [String] = []
            if let filter { options.append("$filter=" + URLEncoding.percentEncode(filter)) }
            if !select.isEmpty { options.append("$select=" + URLEncoding.percentEncode(select.joined(separator: ","))) }
            if let orderBy { options.append("$orderby=" + URLEncoding.percentEncode(orderBy)) }
            options.append("$top=\(pageSize)")
            if skip > 0 { options.append("$skip=\(skip)") }
            return base + "?" + options.joined(separator: "&")
        }

        var rows: [T] = []
        var url = pageURL(skip: 0)
        while true {
            let (page, nextLink) = try fetchPage(url, entitySet: entitySet)
            rows.reserveCapacity(rows.count + page.count)
            for r in page { rows.append(try row(r)) }
            if let top, rows.count >= top { return Array(rows.prefix(top)) }
            if let nextLink {
                let next = URLEncoding.resolve(nextLink, against: settings.odataURL)
                guard next != url else {
                    throw VendorError(.syspro, .badAnswer, operation: "OData \(entitySet)", url: HTTPRequest.redact(url),
                                      message: "@odata.nextLink points at the page just read")
                }
                url = next
            } else if page.count < pageSize || page.isEmpty {
                return rows
            } else {
                url = pageURL(skip: rows.count)
            }
        }
    }

    private func fetchPage(_ url: String, entitySet: String) throws -> ([JSONValue], String?) {
        let request = HTTPRequest(.get, url, headers: [("Accept", "application/json")],
                                  basicAuth: (settings.odataUser, password))
        return try Self.page(try http.perform(request, policy: policy), to: request, entitySet: entitySet, user: settings.odataUser)
    }

    /// One OData answer: its `value` rows and `@odata.nextLink`, or the typed error (`user`
    /// is named when refused). Apart from the call so any bytes can be checked against it
    /// (Tests/Fuzz/syspro).
    static func page(_ response: HTTPResponse, to request: HTTPRequest, entitySet: String, user: String) throws -> ([JSONValue], String?) {
        if response.status == 401 {
            throw VendorError(.syspro, .authRejected, operation: "OData \(entitySet)", url: request.redactedURL,
                              message: "user \"\(user)\" was refused (HTTP 401); check syspro.odata_user and secret \(SecretName.sysproODataPassword)")
        }
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
        guard let json = try? JSONValue.parse(response.body), let value = json["value"]?.array else {
            throw VendorError(.syspro, .badAnswer, operation: "OData \(entitySet)", url: request.url,
                              message: "answer is not OData JSON with a \"value\" array: \"\(response.bodySnippet(limit: 80))\"")
        }
        return (value, json["@odata.nextLink"]?.string)
    }
}
