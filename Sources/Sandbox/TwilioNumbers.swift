import ConnectorKit
import WebhookCore

/// The account's senders as Twilio lists them (docs/vendors/twilio.md, "Senders: numbers and
/// Messaging Services"): its one number (`SeedData.twilioFrom`) under
/// `GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json`, and its one Messaging
/// Service, whose sender pool is that number, under `/twilio-messaging` standing for
/// `https://messaging.twilio.com`: `GET /v1/Services/{Sid}` and `GET /v1/Services/{Sid}/PhoneNumbers`.
enum TwilioNumbers {
    static let messagingPrefix = "/twilio-messaging"
    private static let numberSid = "PN" + String(repeating: "0", count: 31) + "1"

    /// The account's numbers matching `PhoneNumber` (partial numbers, `*` for any digit),
    /// one page in the v2010 list shape.
    static func list(_ req: SandboxRequest, account: String, _ s: TwilioStore) -> JSONValue {
        let pattern = req.param("PhoneNumber") ?? ""
        let rows = [SeedData.twilioFrom].filter { matches($0, pattern) }.map { number -> JSONValue in
            ["account_sid": .string(account), "sid": .string(numberSid), "phone_number": .string(number), "friendly_name": .string(number),
             "capabilities": ["voice": true, "sms": .bool(!s.smsIncapable.contains(number)), "mms": true, "fax": false],
             "status": "in-use", "type": "local", "api_version": "2010-04-01",
             "uri": .string("/2010-04-01/Accounts/\(account)/IncomingPhoneNumbers/\(numberSid).json")]
        }
        let uri = "/2010-04-01/Accounts/\(account)/IncomingPhoneNumbers.json"
        return ["incoming_phone_numbers": .array(rows), "page": 0, "page_size": 50, "start": 0, "end": .int(max(0, rows.count - 1)),
                "first_page_uri": .string(uri + "?Page=0&PageSize=50"), "next_page_uri": nil, "previous_page_uri": nil, "uri": .string(uri)]
    }

    private static func matches(_ number: String, _ pattern: String) -> Bool {
        guard !pattern.isEmpty else { return true }
        let n = Array(number), p = Array(pattern)
        guard p.count <= n.count else { return false }
        return (0...(n.count - p.count)).contains { start in p.indices.allSatisfy { p[$0] == "*" || p[$0] == n[start + $0] } }
    }

    static func messaging(_ req: SandboxRequest, _ state: SandboxState) -> Reply {
        let p = req.path.dropFirst(messagingPrefix.count).split(separator: "/").map(String.init)
        let resource = "/" + p.joined(separator: "/")
        guard TwilioAPI.authorized(req, account: SeedData.twilioAccountSid) else { return TwilioError.authenticate.reply }
        guard req.method == "GET", p.count >= 3, p[0] == "v1", p[1] == "Services", p[2] == SeedData.twilioMessagingServiceSid else {
            return TwilioError.notFound(resource).reply
        }
        let sid = p[2], base = req.origin + messagingPrefix + "/v1/Services/" + sid
        let incapable = state.world.withLock { $0.twilio.smsIncapable }
        switch Array(p.dropFirst(3)) {
        case []:
            return .json(["sid": .string(sid), "account_sid": .string(SeedData.twilioAccountSid), "friendly_name": "Sandbox alerts",
                          "url": .string(base), "links": ["phone_numbers": .string(base + "/PhoneNumbers")]])
        case ["PhoneNumbers"]:
            let number = SeedData.twilioFrom
            return .json([
                "meta": ["page": 0, "page_size": 50, "first_page_url": .string(base + "/PhoneNumbers?PageSize=50&Page=0"),
                         "previous_page_url": nil, "next_page_url": nil, "key": "phone_numbers", "url": .string(base + "/PhoneNumbers")],
                "phone_numbers": [[
                    "sid": .string(numberSid), "account_sid": .string(SeedData.twilioAccountSid), "service_sid": .string(sid),
                    "phone_number": .string(number), "country_code": "US",
                    "capabilities": .array((incapable.contains(number) ? ["Voice", "MMS"] : ["SMS", "Voice", "MMS"]).map(JSONValue.string)),
                    "url": .string(base + "/PhoneNumbers/" + numberSid),
                ]],
            ])
        default:
            return TwilioError.notFound(resource).reply
        }
    }
}
