#if canImport(Glibc)
import Glibc
#endif

/// A CGI/1.1 request as fcgiwrap hands it over: meta-variables in the environment,
/// the body on stdin. Headers arrive as `HTTP_*` variables (RFC 3875 §4.1.18).
public struct CGIRequest: Sendable {
    public let method: String
    public let path: String
    public let contentLength: Int?
    private let variable: @Sendable (String) -> String?

    /// From a dictionary (tests, or a caller that has one already).
    public init(environment: [String: String]) {
        self.init(variable: { environment[$0] })
    }

    /// From this process's environment, reading only the variables asked for: building
    /// the whole environment dictionary costs more than the rest of the request parsing.
    public static func fromProcess() -> CGIRequest {
        CGIRequest(variable: { Environment.get($0) })
    }

    init(variable: @escaping @Sendable (String) -> String?) {
        self.variable = variable
        method = variable("REQUEST_METHOD") ?? ""
        // nginx passes DOCUMENT_URI (decoded, no query); REQUEST_URI keeps the query.
        if let doc = variable("DOCUMENT_URI"), !doc.isEmpty { path = doc }
        else {
            let uri = variable("REQUEST_URI") ?? variable("PATH_INFO") ?? ""
            path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }
        contentLength = variable("CONTENT_LENGTH").flatMap { $0.isEmpty ? nil : Int($0) }
    }

    /// The query as nginx passes it (`$query_string`, still percent-encoded); nil when empty.
    public var queryString: String? {
        variable("QUERY_STRING").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A request header by its HTTP name (`webhook-id` -> `HTTP_WEBHOOK_ID`).
    public func header(_ name: String) -> String? {
        if name.lowercased() == "content-type" { return variable("CONTENT_TYPE") }
        return variable("HTTP_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 }))
    }

    /// Reads and throws away up to `count` bytes of body. A CGI that answers without
    /// reading a large body leaves fcgiwrap blocked writing it, and nginx answers 502
    /// instead of our refusal; draining keeps the refusal what the sender sees.
    public static func discardBody(count: Int, from fd: Int32 = 0) {
        var left = min(count, 64 << 20)
        var sink = [UInt8](repeating: 0, count: 65536)
        while left > 0 {
            let n = sink.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, min(left, 65536)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            left -= n
        }
    }

    /// Reads exactly `count` bytes of body from stdin; fewer means the client went away.
    public static func readBody(count: Int, from fd: Int32 = 0) throws -> [UInt8] {
        var body = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = body.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if n < 0 { if errno == EINTR { continue }; throw CGIError("reading the request body failed: \(String(cString: strerror(errno)))") }
            if n == 0 { throw CGIError("request body ended after \(got) of \(count) bytes") }
            got += n
        }
        return body
    }
}

/// A CGI response: `Status:` line, headers, blank line, body, written with one write(2).
public struct CGIResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String

    public init(status: Int, body: String = "", headers: [(String, String)] = []) {
        self.status = status; self.body = body; self.headers = headers
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Content Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    public var rendered: String {
        var out = "Status: \(status) \(CGIResponse.reason(status))\r\nContent-Type: text/plain; charset=utf-8\r\n"
        for (k, v) in headers { out += "\(k): \(v)\r\n" }
        return out + "\r\n" + body + (body.isEmpty || body.hasSuffix("\n") ? "" : "\n")
    }

    public func write(to fd: Int32 = 1) { CGIResponse.writeRaw(rendered, to: fd) }

    /// All of `text` to `fd`, retrying short writes; errors are dropped (nobody to tell).
    public static func writeRaw(_ text: String, to fd: Int32) {
        text.utf8CString.withUnsafeBufferPointer { p in
            var off = 0
            let total = p.count - 1
            while off < total {
                let n = Glibc.write(fd, p.baseAddress! + off, total - off)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                off += n
            }
        }
    }
}

public struct CGIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
