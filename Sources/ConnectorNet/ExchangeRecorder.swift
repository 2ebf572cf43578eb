import ConnectorKit
import ENetXML
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes every vendor exchange of this process to the directory `ML_CONNECTOR_RECORD` names,
/// redacted, one `RecordedExchange` file each, so what a real vendor answered in the field can
/// be read by a person and replayed by `ml-sandbox serve --fixtures`. Recording never fails a
/// job: a file that cannot be written is reported once on stderr and the run goes on.
final class ExchangeRecorder {
    static let variable = "ML_CONNECTOR_RECORD"

    /// The process's recorder, or nil when the variable is unset or empty.
    nonisolated(unsafe) static let shared: ExchangeRecorder? = {
        Environment.nonEmpty(variable).map(ExchangeRecorder.init(directory:))
    }()

    let directory: String
    private var sequence = 0
    private var warned = false

    init(directory: String) { self.directory = directory }

    func record(_ request: HTTPRequest, requestID: String, outcome: Result<HTTPResponse, TransportError>,
                milliseconds: Int, logger: Logger) {
        sequence += 1
        var headers = [["X-Request-Id", requestID]] + request.headers.map { [$0.0, Redaction.isSensitive($0.0) ? Redaction.mark : $0.1] }
        if request.basicAuth != nil { headers.append(["Authorization", "Basic " + Redaction.mark]) }
        let requestType = request.headers.first { $0.0.lowercased() == "content-type" }?.1
        var exchange = RecordedExchange(
            recordedAt: UTC.iso8601(seconds: UTC.now()), requestID: requestID,
            method: request.method.rawValue, url: Redaction.url(request.url), requestHeaders: headers,
            requestBody: request.body.map { Redaction.body(String(decoding: $0, as: UTF8.self), contentType: requestType) },
            status: nil, responseHeaders: nil, responseBody: nil, responseCharset: nil, error: nil,
            milliseconds: milliseconds)
        switch outcome {
        case .success(let response):
            exchange.status = response.status
            exchange.responseHeaders = response.headers.reduce(into: [:]) { out, h in
                out[h.key] = Redaction.isSensitive(h.key) ? Redaction.mark : h.value
            }
            let utf8 = String(validating: response.body, as: UTF8.self)
            if utf8 == nil { exchange.responseCharset = "windows-1252" }
            let text = utf8 ?? XML.decodeText(response.body)
            exchange.responseBody = Redaction.body(text, contentType: response.header("content-type"),
                                                   whole: Self.answersACredential(request.url))
        case .failure(let error):
            exchange.error = error.message
        }
        let name = RecordedExchange.fileName(unixMilliseconds: Int(Date().timeIntervalSince1970 * 1000),
                                             sequence: sequence, runID: requestID.split(separator: "-").first.map(String.init) ?? requestID)
        do {
            try Posix.makeDirectories(directory, mode: 0o700)
            try AtomicFile.write(JSON.encode(exchange), to: directory + "/" + name, mode: 0o600, durable: false)
        } catch {
            guard !warned else { return }
            warned = true
            logger.warn("cannot record vendor exchanges", ["directory": directory, "error": "\(error)"])
        }
    }

    /// SYSPRO's Logon answers the session id as its whole plain-text body.
    static func answersACredential(_ url: String) -> Bool {
        let path = url.split(separator: "?", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        return path.hasSuffix("/logon")
    }
}
