#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One vendor exchange as `ML_CONNECTOR_RECORD=DIR` keeps it: one JSON file per request in DIR,
/// already redacted (`Redaction`), named so a directory lists in the order the requests went.
/// The connector writes these and `ml-sandbox serve --fixtures DIR` reads them back, so this
/// type is the one owner of the format.
public struct RecordedExchange: Codable, Sendable, Equatable {
    public var recordedAt: String
    public var requestID: String
    public var method: String
    public var url: String
    public var requestHeaders: [[String]]
    public var requestBody: String?
    /// nil when no answer came (the transport failed; `error` says how).
    public var status: Int?
    public var responseHeaders: [String: String]?
    public var responseBody: String?
    /// `windows-1252` when the answer's bytes were not UTF-8 (SYSPRO declares and sends it):
    /// the text is stored decoded and a replay encodes it back.
    public var responseCharset: String?
    public var error: String?
    public var milliseconds: Int

    public init(recordedAt: String, requestID: String, method: String, url: String, requestHeaders: [[String]],
                requestBody: String?, status: Int?, responseHeaders: [String: String]?, responseBody: String?,
                responseCharset: String?, error: String?, milliseconds: Int) {
        self.recordedAt = recordedAt; self.requestID = requestID; self.method = method; self.url = url
        self.requestHeaders = requestHeaders; self.requestBody = requestBody; self.status = status
        self.responseHeaders = responseHeaders; self.responseBody = responseBody
        self.responseCharset = responseCharset; self.error = error; self.milliseconds = milliseconds
    }

    enum CodingKeys: String, CodingKey {
        case recordedAt = "recorded_at", requestID = "request_id", method, url
        case requestHeaders = "request_headers", requestBody = "request_body", status
        case responseHeaders = "response_headers", responseBody = "response_body"
        case responseCharset = "response_charset", error, milliseconds
    }

    /// `<unix milliseconds, 15 digits>-<sequence in its run, 6 digits>-<run id>.json`: a
    /// directory then lists in the order the requests went, across runs too.
    public static func fileName(unixMilliseconds: Int, sequence: Int, runID: String) -> String {
        pad(unixMilliseconds, 15) + "-" + pad(sequence, 6) + "-" + runID + ".json"
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Every exchange in `directory`, in the order they were recorded.
    public static func load(directory: String) throws -> [RecordedExchange] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw DataError(source: directory, problem: "cannot list the recording: \(error)")
        }
        return try names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { name in
            let path = directory + "/" + name
            guard let value = try AtomicFile.readJSON(RecordedExchange.self, from: path) else {
                throw DataError(source: path, problem: "vanished while the recording was read")
            }
            return value
        }
    }
}
