import ConnectorKit

/// libcurl could not complete the exchange: no HTTP answer to classify.
public struct TransportError: ConnectorError {
    public let method: String
    /// Redacted (`HTTPRequest.redactedURL`).
    public let url: String
    /// The `CURLcode`, e.g. 6 could not resolve, 7 could not connect, 28 timed out.
    public let code: Int
    public let message: String
    /// True when the failure happened before any request byte left (DNS, refused,
    /// connect timeout): the server cannot have acted on it, so any method may be repeated.
    public let nothingSent: Bool

    public init(method: String, url: String, code: Int, message: String, nothingSent: Bool) {
        self.method = method; self.url = url; self.code = code; self.message = message; self.nothingSent = nothingSent
    }

    public var exitStatus: ExitStatus { .unavailable }
    public var description: String { "\(method) \(url) failed: \(message) (curl \(code))" }
}

/// An HTTP answer outside 2xx that the caller did not expect and the retry policy did not absorb.
public struct HTTPStatusError: ConnectorError {
    public let method: String
    public let url: String
    public let status: Int
    public let body: String

    public init(request: HTTPRequest, response: HTTPResponse) {
        method = request.method.rawValue
        url = request.redactedURL
        status = response.status
        body = response.bodySnippet()
    }

    public var exitStatus: ExitStatus {
        switch status {
        case 401, 403: return .config       // credentials or permissions: a person must fix them
        case 429: return .tempFail
        case 500...: return .unavailable
        default: return .dataError          // the remote refused what we sent
        }
    }
    public var description: String {
        "\(method) \(url) answered HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
    }
}

/// Every attempt the policy allowed failed with something worth retrying.
public struct RetriesExhausted: ConnectorError {
    public let method: String
    public let url: String
    public let attempts: Int
    public let lastFailure: String

    public var exitStatus: ExitStatus { .unavailable }
    public var description: String { "\(method) \(url) still failing after \(attempts) attempts: \(lastFailure)" }
}

/// The server asked us to slow down for longer than this run will wait (or kept saying 429):
/// the job ends with 75 so cron tries again later instead of the process sleeping for hours.
public struct RateLimited: ConnectorError {
    public let method: String
    public let url: String
    public let problem: String

    public var exitStatus: ExitStatus { .tempFail }
    public var description: String { "\(method) \(url) rate limited: \(problem)" }
}
