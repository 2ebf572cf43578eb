import ConnectorKit
import WebhookCore
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--dry-run` at the wire: every request that would change something at a vendor is withheld
/// and reported; SYSPRO business-object posts go with `ValidateOnly=Y`, so SYSPRO's own
/// validation still answers; reads, and the token and session calls that reads need, go as
/// usual. One place decides, so no job can forget a write.
public final class DryRunGuard: @unchecked Sendable {
    /// Set by `JobOptions` for a `--dry-run` run; nil otherwise.
    nonisolated(unsafe) public static var active: DryRunGuard?

    public struct Withheld: Sendable {
        public let method: String, url: String, body: String?
    }

    /// What the run would have sent, in order.
    public private(set) var withheld: [Withheld] = []
    /// SYSPRO posts sent as ValidateOnly, with the business object.
    public private(set) var validated: [String] = []
    private let emit: (String) -> Void

    /// `emit` gets one JSON line per withheld or validated request (stdout by default).
    public init(emit: @escaping (String) -> Void) { self.emit = emit }

    enum Decision { case send(HTTPRequest), withhold }

    func decide(_ request: HTTPRequest) -> Decision {
        let path = (request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url).lowercased()
        if path.contains("/transaction/post") || path.contains("/setup/update") {
            let object = (Self.query(request.url, "BusinessObject") ?? "").uppercased()
            guard let parameter = Self.validation[object] else { return withhold(request) }
            var rewritten = request
            rewritten.url = Self.validating(request.url, parameter)
            validated.append(object)
            line(["dry_run": .string("validate-only"), "method": .string(request.method.rawValue),
                  "business_object": .string(object), "url": .string(Redaction.url(request.url))])
            return .send(rewritten)
        }
        if path.contains("/setup/") { return withhold(request) }  // Add and Delete: no validate-only use
        switch request.method {
        case .get: return .send(request)
        default:
            // Reads that are POSTs (HubSpot batch read and search) and OAuth token calls.
            if Self.readOnlyPosts.contains(where: { path.hasSuffix($0) }) { return .send(request) }
            return withhold(request)
        }
    }

    /// How each business object the jobs post is told to validate without posting
    /// (docs/vendors/syspro.md, "Validate-only posts"); any other object is withheld.
    static let validation: [String: (name: String, value: String)] = [
        "SORTOI": ("Process", "VALIDATE"),
        "SORTOS": ("ValidateOnly", "Y"), "SORTDN": ("ValidateOnly", "Y"), "SORTOX": ("ValidateOnly", "Y"),
        "SORTNC": ("ValidateOnly", "Y"), "INVTMR": ("ValidateOnly", "Y"), "INVTMA": ("ValidateOnly", "Y"),
        "ARSSCS": ("ValidateOnly", "Y"),
    ]

    static let readOnlyPosts = ["/batch/read", "/search", "/connect/token", "/oauth/token", "/oauth/v1/token"]

    private func withhold(_ request: HTTPRequest) -> Decision {
        let type = request.headers.first { $0.0.lowercased() == "content-type" }?.1
        let body = request.body.map { Redaction.body(String(decoding: $0, as: UTF8.self), contentType: type) }
        withheld.append(Withheld(method: request.method.rawValue, url: Redaction.url(request.url), body: body))
        var fields: [String: JSONValue] = ["dry_run": .string("withheld"), "method": .string(request.method.rawValue),
                                           "url": .string(Redaction.url(request.url))]
        if let body { fields["body"] = (try? JSONValue.parse(Data(body.utf8))) ?? .string(body) }
        line(fields)
        return .withhold
    }

    /// The answer a withheld request gets, so the job goes on to its next decision: HubSpot's
    /// batch writes and associations and Twilio's message create are answered as accepted (the
    /// ids and sids say `dry-run`), so the later steps that depend on them are shown too; any
    /// other write gets a refusal every client reads as "this record was not accepted". What the
    /// job records of it goes to the scratch copy of the state, which is deleted.
    static func answer(for request: HTTPRequest) -> HTTPResponse {
        let path = (request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url).lowercased()
        let json = request.body.flatMap { try? JSONValue.parse($0) }
        if ["/batch/upsert", "/batch/create", "/batch/update"].contains(where: { path.hasSuffix($0) }) {
            let results = (json?["inputs"]?.array ?? []).enumerated().map { i, input -> JSONValue in
                var properties = input["properties"]?.object ?? [:]
                if let key = input["id"], let idProperty = input["idProperty"]?.string { properties[idProperty] = key }
                return .object(["id": .string("dry-run-\(i + 1)"), "properties": .object(properties), "new": .bool(true), "archived": .bool(false)])
            }
            return reply(200, .object(["status": .string("COMPLETE"), "results": .array(results)]))
        }
        if path.contains("/associations/") { return reply(200, .object(["status": .string("COMPLETE"), "results": .array([])])) }
        if path.hasSuffix("/messages.json"), request.method == .post {
            let form = String(decoding: request.body ?? Data(), as: UTF8.self)
            func field(_ name: String) -> JSONValue {
                query("?" + form, name).map { .string($0.replacing("+", with: " ")) } ?? .null
            }
            return reply(201, .object(["sid": .string("SM" + String(repeating: "0", count: 24) + "dryrun00"), "status": .string("queued"),
                                       "to": field("To"), "from": field("From"), "body": field("Body"),
                                       "num_segments": .string("1"), "error_code": .null, "error_message": .null]))
        }
        return reply(400, .object(["status": .number(400), "code": .number(0), "category": .string("VALIDATION_ERROR"),
                                   "message": .string("ml-connector --dry-run: not sent"), "errors": .array([])]))
    }

    private static func reply(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: (try? JSON.encode(body)) ?? Data())
    }

    private func line(_ fields: [String: JSONValue]) {
        guard let data = try? JSON.encode(JSONValue.object(fields)) else { return }
        emit(String(decoding: data, as: UTF8.self))
    }

    /// The URL with the `XmlParameters` document's validation parameter set (added to its
    /// `Parameters` element when absent).
    static func validating(_ url: String, _ parameter: (name: String, value: String)) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let items = URLEncoding.queryItems(url).map { item in
            item.name.lowercased() == "xmlparameters" ? (item.name, setting(item.value, parameter)) : (item.name, item.value)
        }
        return URLEncoding.url(String(url[..<q]), query: items)
    }

    /// `parameters` set to validate without posting, or nil when the business object has no
    /// documented way to (`ml-connector probe` validates with the same rule as a dry run).
    public static func validating(parameters: String, businessObject: String) -> String? {
        validation[businessObject.uppercased()].map { setting(parameters, $0) }
    }

    static func setting(_ xml: String, _ p: (name: String, value: String)) -> String {
        let element = Array("<\(p.name)>\(p.value)</\(p.name)>".utf8)
        let b = Array(xml.utf8), lower = b.map(asciiLowercase)
        let open = Array("<\(p.name)>".utf8).map(asciiLowercase), close = Array("</\(p.name)>".utf8).map(asciiLowercase)
        // The first `<name>text</name>` (any case, no element inside) is replaced...
        var from = 0
        while let start = firstIndex(of: open, in: lower, from: from) {
            let end = lower[(start + open.count)...].firstIndex(of: UInt8(ascii: "<")) ?? lower.count
            if lower[end...].starts(with: close) {
                return String(decoding: b[..<start] + element + b[(end + close.count)...], as: UTF8.self)
            }
            from = start + 1
        }
        // ...else the element goes first into `<Parameters>`.
        let parameters = Array("<parameters>".utf8)
        if let start = firstIndex(of: parameters, in: lower, from: 0) {
            return String(decoding: b[..<(start + parameters.count)] + element + b[(start + parameters.count)...], as: UTF8.self)
        }
        return xml
    }

    private static func asciiLowercase(_ c: UInt8) -> UInt8 { (0x41...0x5a).contains(c) ? c + 0x20 : c }

    private static func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func query(_ url: String, _ name: String) -> String? {
        URLEncoding.queryItems(url).first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
