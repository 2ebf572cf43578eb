import ConnectorKit
import Foundation
import WebhookCore

/// A request as the simulators see it: decoded once, free of the HTTP server's types,
/// so each simulator is a plain function from `SandboxRequest` to `Reply`.
struct SandboxRequest: Sendable {
    let method: String
    let path: String
    /// The query string as sent (still percent-encoded), for the request log and faults.
    let rawQuery: String
    let query: [(name: String, value: String)]
    let headers: [String: String]
    let body: [UInt8]
    /// `http://host:port` as the client addressed us, for absolute links (OData nextLink).
    let origin: String

    init(method: String, path: String, rawQuery: String, headers: [String: String], body: [UInt8], origin: String) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.query = FormEncoding.decode(rawQuery)
        self.headers = headers
        self.body = body
        self.origin = origin
    }

    /// First query parameter with that name; SYSPRO's WCF templates match names without case.
    func param(_ name: String) -> String? {
        query.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Header lookup; `headers` keys are stored lower-cased.
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a simulator answers.
struct Reply: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// No answer at all: the server closes the connection instead (the `drop` fault).
    var dropsConnection = false

    init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], dropsConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.dropsConnection = dropsConnection
    }

    /// Logged as status 0, the way a client that saw no status line would record it.
    static let dropped = Reply(status: 0, dropsConnection: true)

    static func text(_ s: String, status: Int = 200) -> Reply {
        Reply(status: status, headers: [("content-type", "text/plain; charset=utf-8")], body: Array(s.utf8))
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Reply {
        let data = (try? JSON.encode(value)) ?? Data("null".utf8)
        return Reply(status: status, headers: [("content-type", "application/json; charset=utf-8")], body: Array(data))
    }

    func adding(_ name: String, _ value: String) -> Reply {
        var r = self
        r.headers.append((name, value))
        return r
    }
}

/// application/x-www-form-urlencoded, which is also how query strings are read:
/// `+` is a space (ASP.NET, and so SYSPRO's WCF host, read it that way).
enum FormEncoding {
    static func decode(_ s: String) -> [(name: String, value: String)] {
        s.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(String(parts[0]))
            return (name, parts.count > 1 ? unescape(String(parts[1])) : "")
        }
    }

    static func unescape(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Percent-encodes everything outside RFC 3986's unreserved set.
    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}

enum SandboxClock {
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// ISO-8601 UTC with milliseconds, the style ShipBob and the request log use.
    static func iso(_ t: Double) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date(timeIntervalSince1970: t))
    }
}
