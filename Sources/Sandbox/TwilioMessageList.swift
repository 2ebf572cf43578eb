import ConnectorKit
import Foundation
import WebhookCore

/// `GET /2010-04-01/Accounts/{AccountSid}/Messages.json`: newest first, filtered by `To`,
/// `From` and `DateSent` (`YYYY-MM-DD` for that day or `YYYY-MM-DDTHH:MM:SSZ` for that
/// second; `DateSent<` on or before, `DateSent>` on or after: the parameter names the
/// Python SDK sends for date_sent, date_sent_before and date_sent_after), paged by
/// `PageSize` (50 by default, at most 1,000), `Page` and `PageToken`. The page carries
/// `messages` and the paging keys twilio-python's Page reads (`first_page_uri`,
/// `next_page_uri`, `previous_page_uri`, `page`, `page_size`, `start`, `end`, `uri`), URIs
/// relative to `https://api.twilio.com` like every `uri` Twilio returns.
enum TwilioMessageList {
    static func page(_ req: SandboxRequest, account: String, _ all: [TwilioMessage]) -> Result<JSONValue, TwilioError> {
        var matching = all.filter { $0.accountSid == account }
        if let to = req.param("To") { matching = matching.filter { $0.to == to } }
        if let from = req.param("From") { matching = matching.filter { $0.from == from } }
        for (name, test) in [("DateSent", 0), ("DateSent<", -1), ("DateSent>", 1)] {
            guard let v = req.query.first(where: { $0.name == name })?.value else { continue }
            guard let (start, end) = range(v) else {
                return .failure(TwilioError(status: 400, code: 20001, message: "Invalid \(name): \(v)"))
            }
            matching = matching.filter { m in
                guard let sent = m.sent else { return false }
                switch test {
                case 0: return sent >= start && sent < end
                case -1: return sent < end
                default: return sent >= start
                }
            }
        }
        matching.reverse()

        let size = min(1000, max(1, Int(req.param("PageSize") ?? "") ?? 50))
        let number = max(0, Int(req.param("Page") ?? "") ?? 0)
        // A PageToken `PA<sid>` names the last message of the page before, so a page stays
        // put while newer messages arrive; without one, `Page` counts from the start.
        var offset = number * size
        if let token = req.param("PageToken"), token.hasPrefix("PA"),
           let i = matching.firstIndex(where: { $0.sid == token.dropFirst(2) }) {
            offset = i + 1
        }
        let rows = Array(matching.dropFirst(offset).prefix(size))
        let base = "/2010-04-01/Accounts/\(account)/Messages.json"
        let filters = req.query.filter { ["To", "From", "DateSent", "DateSent<", "DateSent>"].contains($0.name) }.map { ($0.name, $0.value) }
        func uri(_ extra: [(String, String)]) -> String { base + "?" + FormEncoding.encode(filters + [("PageSize", String(size))] + extra) }
        let hasNext = offset + rows.count < matching.count
        return .success([
            "messages": .array(rows.map(\.json)),
            "uri": .string(uri([("Page", String(number))] + (req.param("PageToken").map { [("PageToken", $0)] } ?? []))),
            "first_page_uri": .string(uri([("Page", "0")])),
            "next_page_uri": hasNext ? .string(uri([("Page", String(number + 1)), ("PageToken", "PA" + rows.last!.sid)])) : .null,
            "previous_page_uri": number > 0 ? .string(uri([("Page", String(number - 1))])) : .null,
            "page": .int(number), "page_size": .int(size), "start": .int(offset), "end": .int(offset + max(rows.count, 1) - 1),
        ])
    }

    /// The instants a `DateSent` value covers: a whole GMT day, or one second.
    private static func range(_ v: String) -> (Double, Double)? {
        let day = v.count == 10
        guard let d = try? Date(day ? v + "T00:00:00Z" : v, strategy: .iso8601) else { return nil }
        let t = d.timeIntervalSince1970
        return (t, t + (day ? 86_400 : 1))
    }
}
