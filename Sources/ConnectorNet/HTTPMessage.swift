import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public enum HTTPMethod: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"

    /// RFC 9110 §9.2.2: repeating GET/PUT/DELETE has the effect of sending them once;
    /// POST and PATCH may create or change something twice.
    public var isIdempotent: Bool {
        switch self {
        case .get, .put, .delete: return true
        case .post, .patch: return false
        }
    }
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// Whether a repeat after an ambiguous failure (5xx, timeout mid-request) is harmless.
    /// Defaults from the method; a GET that changes state (SYSPRO's Transaction/Post) sets it false.
    public var idempotent: Bool
    public var basicAuth: (user: String, password: String)?

    public init(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
                idempotent: Bool? = nil, basicAuth: (user: String, password: String)? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.idempotent = idempotent ?? method.isIdempotent
        self.basicAuth = basicAuth
    }

    /// The URL as it may appear in logs and errors: query values can hold passwords
    /// (SYSPRO's Logon) or session ids, so only the parameter names are kept.
    public var redactedURL: String { HTTPRequest.redact(url) }

    public static func redact(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let names = url[url.index(after: q)...].split(separator: "&").map { pair in
            pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
        }
        return String(url[..<q]) + "?" + names.map { "\($0)=…" }.joined(separator: "&")
    }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    /// Lower-cased names; a repeated header keeps its last value.
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as text for error messages, cut short so a HTML error page cannot flood a log line.
    public func bodySnippet(limit: Int = 200) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self).trimmed
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
