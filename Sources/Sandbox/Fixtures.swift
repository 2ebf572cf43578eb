import ConnectorKit
import ENetXML
import Foundation

/// A recording made with `ML_CONNECTOR_RECORD` (a field problem, say), answering in place of the
/// simulators: `ml-sandbox serve --fixtures DIR`. Each recorded answer is served once, in the
/// order it was recorded, to the first request that matches it; anything no fixture matches is
/// simulated as usual. So a recording from a customer's systems becomes a test.
final class Fixtures: Sendable {
    private let remaining: Locked<[RecordedExchange]>

    init(_ exchanges: [RecordedExchange]) {
        remaining = Locked(exchanges.filter { $0.status != nil })
    }

    /// The recorded answer for this request, taken out of the list.
    func take(service: String, _ req: SandboxRequest) -> Reply? {
        remaining.withLock { list -> Reply? in
            guard let i = list.firstIndex(where: { Fixtures.matches($0, service: service, req) }) else { return nil }
            return Fixtures.reply(list.remove(at: i))
        }
    }

    /// Same method; the request's path below its simulator's prefix ends the recorded path (a
    /// recording from a real vendor has the vendor's own prefix: `/SYSPRO8Odata/SYSPROOData`,
    /// `/2026-07`); every recorded query value that was not redacted is sent again alike.
    static func matches(_ recorded: RecordedExchange, service: String, _ req: SandboxRequest) -> Bool {
        guard recorded.method == req.method, let prefix = prefixes[service] else { return false }
        let relative = String(req.path.dropFirst(req.path.hasPrefix(prefix) ? prefix.count : 0))
        guard relative.count > 1 else { return false }
        let (path, query) = split(recorded.url)
        let caseless = service == "syspro"
        let pathMatches = caseless ? path.lowercased().hasSuffix(relative.lowercased()) : path.hasSuffix(relative)
        guard pathMatches else { return false }
        return FormEncoding.decode(query).allSatisfy { name, value in
            value == Redaction.mark || req.query.contains { sent in
                (caseless ? sent.name.lowercased() == name.lowercased() : sent.name == name) && sent.value == value
            }
        }
    }

    private static let prefixes = ["shipbob": "/shipbob", "odata": "/syspro/odata", "syspro": "/syspro",
                                   "hubspot": HubSpotAPI.prefix, "twilio": TwilioAPI.prefix]

    /// The path (percent-decoded) and raw query of an absolute URL.
    private static func split(_ url: String) -> (path: String, query: String) {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let fromPath = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        let parts = fromPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        return (path.removingPercentEncoding ?? path, parts.count > 1 ? String(parts[1]) : "")
    }

    /// Hop-by-hop and transfer headers are the recorded server's, not ours to repeat.
    private static let dropped: Set<String> = ["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"]

    static func reply(_ recorded: RecordedExchange) -> Reply {
        let text = recorded.responseBody ?? ""
        let body = recorded.responseCharset == "windows-1252" ? SysproXML.windows1252(text) : Array(text.utf8)
        let headers = (recorded.responseHeaders ?? [:]).filter { !dropped.contains($0.key.lowercased()) }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return Reply(status: recorded.status ?? 502, headers: headers, body: body)
    }
}
