import CCurl
import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// HTTP over one libcurl easy handle kept for the whole run, so consecutive requests to
/// the same host reuse the connection (and its TLS session) instead of a new handshake each.
/// TLS verification is always on; proxies come from `http_proxy`/`https_proxy`/`no_proxy`,
/// which libcurl honours by itself. Not thread-safe: one client per job thread.
public final class HTTPClient {
    public let settings: HTTPSettings
    public let logger: Logger
    /// Random per client; `X-Request-Id` is `<runID>-<sequence>` so one run's requests can be
    /// found in the vendor's logs and ours together.
    public let runID: String
    private var sequence = 0
    /// Made on the first request, so a run with nothing to send never loads libcurl.
    private var handle: UnsafeMutableRawPointer?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Every 429 answer is counted here (ml_connector_http_429_total), retried or not, under
    /// the name of the API whose base URL (the longest of `apis`) the request starts with.
    private let metrics: JobMetrics?
    private let apis: [(prefix: String, name: String)]

    public init(settings: HTTPSettings, logger: Logger, metrics: JobMetrics? = nil, apis: [(prefix: String, name: String)] = []) {
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.apis = apis.sorted { $0.prefix.count > $1.prefix.count }
        runID = Crypto.randomBytes(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    deinit {
        if let handle { Curl.api?.pointee.easy_cleanup(handle) }
        errorBuffer.deallocate()
    }

    /// One attempt. Any HTTP status is a response; only a failed exchange throws. With
    /// `ML_CONNECTOR_RECORD` set, the exchange is also recorded (`ExchangeRecorder`); in a
    /// `--dry-run`, `DryRunGuard` withholds what would change something at the vendor.
    public func send(_ original: HTTPRequest) throws(TransportError) -> HTTPResponse {
        var request = original
        if let dryRun = DryRunGuard.active {
            switch dryRun.decide(original) {
            case .send(let allowed): request = allowed
            case .withhold: return DryRunGuard.answer(for: original)
            }
        }
        sequence += 1
        let requestID = "\(runID)-\(sequence)"
        guard let recorder = ExchangeRecorder.shared else { return try exchange(request, requestID: requestID) }
        let started = Date()
        let outcome: Result<HTTPResponse, TransportError>
        do { outcome = .success(try exchange(request, requestID: requestID)) } catch { outcome = .failure(error) }
        recorder.record(request, requestID: requestID, outcome: outcome,
                        milliseconds: Int(Date().timeIntervalSince(started) * 1000), logger: logger)
        return try outcome.get()
    }

    private func exchange(_ request: HTTPRequest, requestID: String) throws(TransportError) -> HTTPResponse {
        let (c, h) = try loaded(request)
        let sink = ResponseSink()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { c.pointee.slist_free_all(headerList) }
        for line in ["X-Request-Id: \(requestID)", "Expect:"] + request.headers.map({ "\($0.0): \($0.1)" }) {
            headerList = c.pointee.slist_append(headerList, line)
        }

        // Reset keeps the connection cache; every option is then set afresh, so nothing
        // from the previous request (a body, a method, credentials) can leak into this one.
        c.pointee.easy_reset(h)
        errorBuffer[0] = 0
        ml_curl_setopt_ptr(c, h, CURLOPT_ERRORBUFFER, errorBuffer)
        ml_curl_setopt_str(c, h, CURLOPT_URL, request.url)
        ml_curl_setopt_str(c, h, CURLOPT_PROTOCOLS_STR, "http,https")
        ml_curl_setopt_long(c, h, CURLOPT_NOSIGNAL, 1)
        ml_curl_setopt_long(c, h, CURLOPT_SSL_VERIFYPEER, 1)
        ml_curl_setopt_long(c, h, CURLOPT_SSL_VERIFYHOST, 2)
        ml_curl_setopt_long(c, h, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeoutSeconds * 1000))
        ml_curl_setopt_long(c, h, CURLOPT_TIMEOUT_MS, Int(settings.timeoutSeconds * 1000))
        ml_curl_setopt_str(c, h, CURLOPT_USERAGENT, ConnectorVersion.userAgent)
        ml_curl_setopt_str(c, h, CURLOPT_ACCEPT_ENCODING, "")
        ml_curl_setopt_ptr(c, h, CURLOPT_HTTPHEADER, headerList)
        // libcurl silently sends a request again on a new connection when a reused one
        // closes before any answer byte, POSTs included: after a server that committed and
        // then dropped the connection, that is a second order or SMS. A request that must
        // not go twice takes a connection of its own, which curl never retries like that.
        if !request.idempotent { ml_curl_setopt_long(c, h, CURLOPT_FRESH_CONNECT, 1) }
        switch request.method {
        case .get: ml_curl_setopt_long(c, h, CURLOPT_HTTPGET, 1)
        case .post: ml_curl_setopt_long(c, h, CURLOPT_POST, 1)
        case .put, .patch, .delete: ml_curl_setopt_str(c, h, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body ?? (request.method == .post ? Data() : nil) {
            // Size first: COPYPOSTFIELDS then copies exactly that many bytes, NULs included.
            ml_curl_setopt_off(c, h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            var bytes = [UInt8](body)
            bytes.append(0)
            bytes.withUnsafeMutableBytes { _ = ml_curl_setopt_ptr(c, h, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        }
        if let auth = request.basicAuth {
            ml_curl_setopt_long(c, h, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC
            ml_curl_setopt_str(c, h, CURLOPT_USERNAME, auth.user)
            ml_curl_setopt_str(c, h, CURLOPT_PASSWORD, auth.password)
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        ml_curl_setopt_ptr(c, h, CURLOPT_WRITEDATA, context)
        ml_curl_setopt_write(c, h, CURLOPT_WRITEFUNCTION) { data, size, count, ctx in
            guard let data, let ctx else { return 0 }
            Unmanaged<ResponseSink>.fromOpaque(ctx).takeUnretainedValue()
                .body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        ml_curl_setopt_ptr(c, h, CURLOPT_HEADERDATA, context)
        ml_curl_setopt_write(c, h, CURLOPT_HEADERFUNCTION) { data, size, count, ctx in
            guard let data, let ctx else { return 0 }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            Unmanaged<ResponseSink>.fromOpaque(ctx).takeUnretainedValue().header(line)
            return size * count
        }

        let started = Date()
        let rc = withExtendedLifetime(sink) { c.pointee.easy_perform(h) }
        let millis = Int(Date().timeIntervalSince(started) * 1000)
        guard rc == CURLE_OK else {
            var pretransfer: curl_off_t = 0
            ml_curl_getinfo_off(c, h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
            let detail = String(cString: errorBuffer)
            let error = TransportError(
                method: request.method.rawValue, url: request.redactedURL, code: Int(rc.rawValue),
                message: detail.isEmpty ? c.pointee.easy_strerror(rc).map { String(cString: $0) } ?? "libcurl error \(rc.rawValue)" : detail,
                // Resolve/connect failures, or anything before the transfer phase began
                // (connect timeout, TLS handshake): no request byte reached the server.
                nothingSent: [CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT].contains(rc)
                    || pretransfer == 0)
            logger.debug("http failed", ["method": request.method.rawValue, "url": request.redactedURL,
                                         "request_id": requestID, "ms": "\(millis)", "error": error.message])
            throw error
        }
        var status = 0
        ml_curl_getinfo_long(c, h, CURLINFO_RESPONSE_CODE, &status)
        if status == 429, let metrics { metrics.rateLimited(api(of: request.url)) }
        logger.debug("http", ["method": request.method.rawValue, "url": request.redactedURL,
                              "request_id": requestID, "status": "\(status)", "ms": "\(millis)"])
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// libcurl and this client's handle, loaded on first use.
    private func loaded(_ request: HTTPRequest) throws(TransportError) -> (UnsafePointer<ml_curl>, UnsafeMutableRawPointer) {
        guard let c = Curl.api else {
            throw TransportError(method: request.method.rawValue, url: request.redactedURL, code: Int(CURLE_FAILED_INIT.rawValue),
                                 message: "libcurl could not be loaded (\(Curl.loadFailure)); install the libcurl4 package",
                                 nothingSent: true)
        }
        if let handle { return (c, handle) }
        guard let h = c.pointee.easy_init() else {
            throw TransportError(method: request.method.rawValue, url: request.redactedURL, code: Int(CURLE_FAILED_INIT.rawValue),
                                 message: "libcurl could not make a handle (out of memory?)", nothingSent: true)
        }
        handle = h
        return (c, h)
    }

    /// Sends with `policy`: repeats what is safe to repeat, sleeping as the policy says,
    /// and logs each repeat. Returns the first response the policy accepts (which may be a
    /// non-2xx status for the caller to classify); throws when the policy gives up.
    public func perform(_ request: HTTPRequest, policy: RetryPolicy) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<HTTPResponse, TransportError>
            do { outcome = .success(try send(request)) } catch { outcome = .failure(error) }
            switch policy.decide(request, outcome, attempt: attempt) {
            case .accept:
                return try outcome.get()
            case .giveUp(let error):
                throw error
            case .retry(let delay):
                let failure: String
                switch outcome {
                case .success(let r): failure = "HTTP \(r.status)"
                case .failure(let e): failure = e.message
                }
                logger.warn("retrying request", ["method": request.method.rawValue, "url": request.redactedURL,
                                                 "attempt": "\(attempt)", "failure": failure,
                                                 "delay_s": "\((delay * 1000).rounded() / 1000)"])
                policy.sleep(delay)
            }
        }
    }
}

extension HTTPClient {
    /// The configured API a URL belongs to, else its host.
    func api(of url: String) -> String {
        if let known = apis.first(where: { url.hasPrefix($0.prefix) }) { return known.name }
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? url[...]
        return String(afterScheme.prefix { $0 != "/" && $0 != ":" && $0 != "?" })
    }
}

/// libcurl, opened once per process; `static let` makes the load (and curl_global_init,
/// which is not thread-safe) run exactly once. The table it points at is never written
/// after the load, so sharing it across threads is safe.
private enum Curl {
    nonisolated(unsafe) static let loaded: (api: UnsafePointer<ml_curl>?, failure: String) = {
        var why: UnsafePointer<CChar>? = nil
        let api = ml_curl_load(&why)
        return (api, why.map { String(cString: $0) } ?? "")
    }()
    static var api: UnsafePointer<ml_curl>? { loaded.api }
    static var loadFailure: String { loaded.failure }
}

/// Where libcurl's callbacks put the answer; reached through the `Unmanaged` context pointer.
private final class ResponseSink {
    var body = Data()
    var headers: [String: String] = [:]

    func header(_ line: String) {
        // Each status line starts a new header block (100 Continue, then the real answer).
        if line.hasPrefix("HTTP/") { headers = [:]; return }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers[line[..<colon].trimmed.lowercased()] = line[line.index(after: colon)...].trimmed
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Substring {
    fileprivate var trimmed: String { String(self).trimmed }
}
