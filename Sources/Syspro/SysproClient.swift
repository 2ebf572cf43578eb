import ConnectorKit
import ConnectorNet
import ENetXML

/// e.net REST business objects. Every call is a GET with all inputs in the query string
/// (docs/vendors/syspro.md: "SYSPRO 8 answers POST with 405"), errors arrive as HTTP 200 `ERROR: ...`.
public final class SysproClient {
    public let settings: SysproSettings
    public let session: SysproSession
    private let http: HTTPClient
    private let policy: RetryPolicy

    public init(settings: SysproSettings, session: SysproSession, http: HTTPClient, policy: RetryPolicy) {
        self.settings = settings
        self.session = session
        self.http = http
        self.policy = policy
    }

    /// `Transaction/Post`: changes SYSPRO, so it is sent as not idempotent (a GET, but never
    /// repeated after a 5xx or timeout, which may hide a posted transaction). The one repeat
    /// is after an invalid-session answer: SYSPRO refused the call without processing it.
    public func post(businessObject: String, parameters: String, xmlIn: String) throws -> XMLElement {
        try xml(call("Transaction/Post", [("BusinessObject", businessObject), ("XmlParameters", parameters), ("XmlIn", xmlIn)],
                     idempotent: false, operation: "Transaction/Post \(businessObject)"),
                operation: "Transaction/Post \(businessObject)")
    }

    /// `Setup/Update` (docs/vendors/syspro.md, "Customer maintenance: ARSSCS Setup/Update"):
    /// sets fields of a record to values, so sending it twice leaves the same record and it
    /// may be repeated after a lost answer.
    public func setupUpdate(businessObject: String, parameters: String, xmlIn: String) throws -> XMLElement {
        try xml(call("Setup/Update", [("BusinessObject", businessObject), ("XmlParameters", parameters), ("XmlIn", xmlIn)],
                     idempotent: true, operation: "Setup/Update \(businessObject)"),
                operation: "Setup/Update \(businessObject)")
    }

    /// `Query/Query`: read-only, safe to repeat.
    public func query(businessObject: String, xmlIn: String) throws -> XMLElement {
        try xml(call("Query/Query", [("BusinessObject", businessObject), ("XmlIn", xmlIn)],
                     idempotent: true, operation: "Query/Query \(businessObject)"),
                operation: "Query/Query \(businessObject)")
    }

    /// `GetLogonProfile`: proves the tenant's session works (logging on first when none is
    /// cached), which `ml-connector ping` reports; read-only.
    public func logonProfile() throws -> XMLElement {
        try xml(call("GetLogonProfile", [], idempotent: true, operation: "GetLogonProfile"), operation: "GetLogonProfile")
    }

    /// `getversion`: needs no session, so `ml-connector ping` can check reachability alone.
    public func version() throws -> String {
        let request = HTTPRequest(.get, URLEncoding.join(settings.restURL, "getversion"))
        let response = try http.perform(request, policy: policy)
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
        return SysproFacts.answerText(response.body)
    }

    private func call(_ path: String, _ inputs: [(String, String)], idempotent: Bool, operation: String) throws -> String {
        var id = try session.current()
        var renewed = false
        while true {
            let request = HTTPRequest(.get, URLEncoding.url(URLEncoding.join(settings.restURL, path), query: [("UserId", id)] + inputs),
                                      idempotent: idempotent)
            let response = try http.perform(request, policy: policy)
            guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
            let answer = SysproFacts.answerText(response.body)
            guard SysproFacts.isErrorAnswer(answer) else {
                try session.markUsed(id)
                return answer
            }
            if SysproFacts.isInvalidSession(answer) {
                guard !renewed else {
                    throw VendorError(.syspro, .sessionRejected, operation: operation, url: request.redactedURL,
                                      message: "session refused right after a fresh Logon: \"\(answer)\"")
                }
                http.logger.info("syspro session invalid; logging on again", ["operation": operation])
                id = try session.renew(replacing: id)
                renewed = true
                continue
            }
            try session.markUsed(id)
            throw VendorError(.syspro, .refused, operation: operation, url: request.redactedURL, message: "\"\(answer)\"")
        }
    }

    private func xml(_ text: String, operation: String) throws -> XMLElement {
        do { return try XML.parse(text) } catch {
            throw VendorError(.syspro, .badAnswer, operation: operation, url: settings.restURL,
                              message: "answer is not XML (\(error)): \"\(String(text.prefix(80)))\"")
        }
    }
}
