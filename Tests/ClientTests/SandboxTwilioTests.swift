import ConnectorKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import Sandbox
import WebhookCore
import XCTest

/// Twilio calls against the sandbox with the demo account's credentials.
class TwilioSandboxTestCase: SandboxTestCase {
    let account = SeedData.twilioAccountSid
    let authToken = SeedData.twilioAuthToken
    let from = "+13125550199"
    var messages: String { "/twilio/2010-04-01/Accounts/\(account)/Messages" }

    func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @discardableResult
    func send(_ form: [(String, String)], auth: String? = nil) async throws -> HTTPResult {
        try await request("POST", messages + ".json", headers: [
            "Authorization": auth ?? basic(account, authToken), "Content-Type": "application/x-www-form-urlencoded",
        ], body: Data(SandboxTestCase.encode(form).utf8))
    }

    func sms(_ to: String, _ body: String = "PO P00874 approved: Pacific Textile Manufacturing, $2,415.00, 4 lines",
             callback: String? = nil) async throws -> String {
        let r = try await send([("To", to), ("From", from), ("Body", body)] + (callback.map { [("StatusCallback", $0)] } ?? []))
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap(r.json["sid"]?.string)
    }

    func twilioGET(_ pathAndQuery: String) async throws -> HTTPResult {
        try await request("GET", pathAndQuery, headers: ["Authorization": basic(account, authToken)])
    }

    func advance(_ sid: String, _ status: String, errorCode: Int? = nil) async throws -> HTTPResult {
        try await postJSON("/_control/twilio/messages/\(sid)/status",
                           #"{"status":"\#(status)""# + (errorCode.map { #","error_code":\#($0)"# } ?? "") + "}")
    }

    func assertTwilioError(_ r: HTTPResult, _ status: Int, _ code: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.text, file: file, line: line)
        XCTAssertEqual(r.json["code"]?.int64, Int64(code), r.text, file: file, line: line)
        XCTAssertEqual(r.json["status"]?.int64, Int64(status), file: file, line: line)
        XCTAssertEqual(r.json["more_info"]?.string, "https://www.twilio.com/docs/errors/\(code)", file: file, line: line)
        XCTAssertFalse(r.json["message"]?.string?.isEmpty ?? true, file: file, line: line)
    }

    /// X-Twilio-Signature computed here, independently of the sandbox: HMAC-SHA1 over the
    /// URL and the sorted name+value pairs (docs/vendors/twilio.md).
    func expectedSignature(_ url: String, _ params: [(String, String)], token: String) -> String {
        let content = url + params.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        return Data(Crypto.hmacSHA1(key: Array(token.utf8), message: Array(content.utf8))).base64EncodedString()
    }
}

final class SandboxTwilioTests: TwilioSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(twilioStatusStep: 0) }

    func testCreateAnswers201WithTwilioMessageShape() async throws {
        let r = try await send([("To", "+13125550142"), ("From", from), ("Body", "PO P00874 approved")])
        XCTAssertEqual(r.status, 201, r.text)
        let m = r.json
        let sid = try XCTUnwrap(m["sid"]?.string)
        XCTAssertNotNil(sid.range(of: "^SM[0-9a-f]{32}$", options: .regularExpression), sid)
        XCTAssertEqual(m["account_sid"]?.string, account)
        XCTAssertEqual(m["to"]?.string, "+13125550142")
        XCTAssertEqual(m["from"]?.string, from)
        XCTAssertEqual(m["body"]?.string, "PO P00874 approved")
        XCTAssertEqual(m["status"]?.string, "queued")
        XCTAssertEqual(m["num_segments"]?.string, "1")
        XCTAssertEqual(m["num_media"]?.string, "0")
        XCTAssertEqual(m["direction"]?.string, "outbound-api")
        XCTAssertEqual(m["api_version"]?.string, "2010-04-01")
        XCTAssertEqual(m["messaging_service_sid"], .null)
        XCTAssertEqual(m["price"], .null)
        XCTAssertEqual(m["error_code"], .null)
        XCTAssertEqual(m["error_message"], .null)
        XCTAssertEqual(m["date_sent"], .null)
        let rfc2822 = "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \\+0000$"
        XCTAssertNotNil(m["date_created"]?.string?.range(of: rfc2822, options: .regularExpression), m["date_created"]?.string ?? "")
        XCTAssertEqual(m["date_updated"], m["date_created"])
        XCTAssertEqual(m["uri"]?.string, "/2010-04-01/Accounts/\(account)/Messages/\(sid).json")
        XCTAssertEqual(m["subresource_uris"]?["media"]?.string, "/2010-04-01/Accounts/\(account)/Messages/\(sid)/Media.json")
        let counts = try await get("/_control/twilio/counts").json
        XCTAssertEqual(counts["create"]?.int64, 1)
        XCTAssertEqual(counts["messages"]?.int64, 1)
    }

    /// docs/vendors/twilio.md, "Senders: numbers and Messaging Services".
    func testTheAccountsNumberAndMessagingServiceAreListedWithTheirSMSCapability() async throws {
        let numbers = "/twilio/2010-04-01/Accounts/\(account)/IncomingPhoneNumbers.json"
        let mine = try await twilioGET(numbers + "?PhoneNumber=%2B" + from.dropFirst())
        let row = try XCTUnwrap(mine.json["incoming_phone_numbers"]?.array?.first, mine.text)
        XCTAssertEqual(row["phone_number"]?.string, from)
        XCTAssertEqual(row["capabilities"]?["sms"], .bool(true))
        let other = try await twilioGET(numbers + "?PhoneNumber=%2B13125550142")
        XCTAssertEqual(other.json["incoming_phone_numbers"]?.array?.count, 0, other.text)

        let service = "/twilio-messaging/v1/Services/" + SeedData.twilioMessagingServiceSid
        let found = try await twilioGET(service)
        XCTAssertEqual(found.json["sid"]?.string, SeedData.twilioMessagingServiceSid)
        let pool = try await twilioGET(service + "/PhoneNumbers").json["phone_numbers"]?.array ?? []
        XCTAssertEqual(pool.first?["capabilities"]?.array?.contains(.string("SMS")), true)
        let unknown = try await twilioGET("/twilio-messaging/v1/Services/MG" + String(repeating: "0", count: 32))
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.json["code"]?.int64, 20404)

        _ = try await postJSON("/_control/twilio/numbers", #"{"sms_incapable": ["\#(from)"]}"#)
        let incapable = try await twilioGET(numbers + "?PhoneNumber=%2B" + from.dropFirst())
        XCTAssertEqual(incapable.json["incoming_phone_numbers"]?.array?.first?["capabilities"]?["sms"], .bool(false))
        let narrowed = try await twilioGET(service + "/PhoneNumbers")
        XCTAssertEqual(narrowed.json["phone_numbers"]?.array?.first?["capabilities"]?.array?.contains(.string("SMS")), false)
        let refused = try await send([("To", "+13125550142"), ("From", from), ("Body", "hi")])
        XCTAssertEqual(refused.json["code"]?.int64, 21606, refused.text)
    }

    func testMessagingServiceMessageStartsAcceptedWithoutSenderUntilQueued() async throws {
        let r = try await send([("To", "+13125550142"), ("MessagingServiceSid", SeedData.twilioMessagingServiceSid), ("Body", "hi")])
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(r.json["status"]?.string, "accepted")
        XCTAssertEqual(r.json["from"], .null)
        XCTAssertEqual(r.json["num_segments"]?.string, "0")
        XCTAssertEqual(r.json["messaging_service_sid"]?.string, SeedData.twilioMessagingServiceSid)
        let queued = try await advance(try XCTUnwrap(r.json["sid"]?.string), "queued")
        XCTAssertEqual(queued.json["from"]?.string, from)
        XCTAssertEqual(queued.json["num_segments"]?.string, "1")
    }

    func testApiKeyAndSecretAuthenticateLikeTheAuthToken() async throws {
        let r = try await send([("To", "+13125550142"), ("From", from), ("Body", "hi")],
                               auth: basic(SeedData.twilioApiKeySid, SeedData.twilioApiKeySecret))
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(r.json["account_sid"]?.string, account)
    }

    func testWrongCredentialsAnswer401With20003() throws {
        // Over a raw socket: FoundationNetworking answers a Basic challenge itself.
        for auth in [basic(account, "wrong-token"), basic(SeedData.twilioApiKeySid, authToken), nil] {
            let raw = try rawTwilio("POST", messages + ".json", auth: auth, body: "To=%2B13125550142&From=%2B13125550199&Body=x")
            XCTAssertTrue(raw.hasPrefix("HTTP/1.1 401"), raw)
            let json = try JSONValue.parse(Data(raw.components(separatedBy: "\r\n\r\n").last!.utf8))
            XCTAssertEqual(json, ["code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401])
        }
        let otherAccount = try rawTwilio("GET", "/twilio/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json",
                                         auth: basic(account, authToken), body: nil)
        XCTAssertTrue(otherAccount.hasPrefix("HTTP/1.1 401"), otherAccount)
    }

    func testPermanentErrorsCarryTwilioCodes() async throws {
        let numbers = try await postJSON("/_control/twilio/numbers", #"{"opted_out":["+13125550170"],"landlines":["+13125550171"]}"#)
        XCTAssertEqual(numbers.status, 200, numbers.text)
        let to = ("To", "+13125550142"), body = ("Body", "hi"), sender = ("From", from)
        let cases: [([(String, String)], Int)] = [
            ([sender, body], 21604),
            ([to, body], 21603),
            ([to, sender], 21602),
            ([to, sender, ("Body", String(repeating: "a", count: 1601))], 21617),
            ([("To", "3125550142"), sender, body], 21211),
            ([("To", "+1312555O142"), sender, body], 21211),
            ([("To", "+13125550170"), sender, body], 21610),
            ([("To", "+13125550171"), sender, body], 21614),
            ([("To", "+447700900123"), sender, body], 21408),
            ([to, ("From", "+13125550100"), body], 21606),
        ]
        for (form, code) in cases {
            assertTwilioError(try await send(form), 400, code)
        }
        let longest = try await send([to, sender, ("Body", String(repeating: "a", count: 1600))])
        XCTAssertEqual(longest.status, 201, longest.text)
        _ = try await postJSON("/_control/twilio/numbers", #"{"enabled_prefixes":["+1","+44"]}"#)
        let uk = try await send([("To", "+447700900123"), sender, body])
        XCTAssertEqual(uk.status, 201, uk.text)
        let counts = try await get("/_control/twilio/counts").json
        XCTAssertEqual(counts["create"]?.int64, 12)
        XCTAssertEqual(counts["messages"]?.int64, 2)
    }

    func testSegmentsCountGSM7At160And153AndUCS2At70And67() async throws {
        let cases: [(String, String)] = [
            (String(repeating: "a", count: 160), "1"), (String(repeating: "a", count: 161), "2"),
            (String(repeating: "a", count: 306), "2"), (String(repeating: "a", count: 307), "3"),
            (String(repeating: "€", count: 80), "1"), (String(repeating: "€", count: 81), "2"),
            (String(repeating: "ü", count: 160), "1"),
            (String(repeating: "ł", count: 70), "1"), (String(repeating: "ł", count: 71), "2"),
            (String(repeating: "ł", count: 134), "2"), (String(repeating: "ł", count: 135), "3"),
        ]
        for (body, segments) in cases {
            let r = try await send([("To", "+13125550142"), ("From", from), ("Body", body)])
            XCTAssertEqual(r.json["num_segments"]?.string, segments, "\(body.count) x \(body.first!)")
        }
    }

    func testFetchReturnsTheMessageAndUnknownSidIs404With20404() async throws {
        let sid = try await sms("+13125550142")
        let r = try await twilioGET(messages + "/\(sid).json")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["sid"]?.string, sid)
        XCTAssertEqual(r.json["status"]?.string, "queued")
        let unknown = "SM00000000000000000000000000000000"
        let missing = try await twilioGET(messages + "/\(unknown).json")
        assertTwilioError(missing, 404, 20404)
        XCTAssertEqual(missing.json["message"]?.string,
                       "The requested resource /2010-04-01/Accounts/\(account)/Messages/\(unknown).json was not found")
        let counts = try await get("/_control/twilio/counts").json
        XCTAssertEqual(counts["fetch"]?.int64, 2)
    }

    func testListFiltersByToFromAndDateSentAndPagesNewestFirst() async throws {
        var toA: [String] = []
        for n in 1...5 { toA.append(try await sms("+13125550142", "alert \(n)")) }
        let toB = try await sms("+13125550143")
        for sid in toA.prefix(2) {
            let r = try await advance(sid, "sent")
            XCTAssertEqual(r.status, 200, r.text)
        }

        var seen: [String] = []
        var next: String? = messages + ".json?" + SandboxTestCase.encode([("To", "+13125550142"), ("PageSize", "2")])
        var pages = 0
        while let path = next {
            let page = try await twilioGET(path)
            XCTAssertEqual(page.status, 200, page.text)
            XCTAssertEqual(page.json["page"]?.int64, Int64(pages))
            XCTAssertEqual(page.json["page_size"]?.int64, 2)
            XCTAssertEqual(page.json["first_page_uri"]?.string?.hasPrefix("/2010-04-01/Accounts/\(account)/Messages.json?"), true)
            XCTAssertEqual(page.json["previous_page_uri"] == .null, pages == 0)
            seen += page.json["messages"]?.array?.compactMap { $0["sid"]?.string } ?? []
            next = page.json["next_page_uri"]?.string.map { "/twilio" + $0 }
            pages += 1
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen, toA.reversed())

        let byFrom = try await twilioGET(messages + ".json?" + SandboxTestCase.encode([("From", from)]))
        XCTAssertEqual(byFrom.json["messages"]?.array?.count, 6)
        let byB = try await twilioGET(messages + ".json?" + SandboxTestCase.encode([("To", "+13125550143")]))
        XCTAssertEqual(byB.json["messages"]?.array?.compactMap { $0["sid"]?.string }, [toB])

        let today = String(SandboxClock.iso(SandboxClock.now()).prefix(10))
        let yesterday = String(SandboxClock.iso(SandboxClock.now() - 86_400).prefix(10))
        func sent(_ q: [(String, String)]) async throws -> Set<String> {
            Set(try await twilioGET(messages + ".json?" + SandboxTestCase.encode(q)).json["messages"]?.array?.compactMap { $0["sid"]?.string } ?? [])
        }
        let onDay = try await sent([("DateSent", today)])
        let onOrAfter = try await sent([("DateSent>", today)])
        let onOrBefore = try await sent([("DateSent<", yesterday)])
        let unsentB = try await sent([("DateSent>", yesterday), ("To", "+13125550143")])
        XCTAssertEqual(onDay, Set(toA.prefix(2)))
        XCTAssertEqual(onOrAfter, Set(toA.prefix(2)))
        XCTAssertEqual(onOrBefore, [])
        XCTAssertEqual(unsentB, [])
        let counts = try await get("/_control/twilio/counts").json
        XCTAssertEqual(counts["list"]?.int64, 9)
    }

    func testLifecycleByControlPostsSignedCallbacksForEveryStatusAfterTheFirst() async throws {
        let listener = try TwilioCallbackListener()
        defer { listener.stop() }
        let url = "http://127.0.0.1:\(listener.port)/webhooks/demo/twilio?tenant=demo"
        let sid = try await sms("+13125550142", callback: url)
        let r = try await advance(sid, "delivered")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["history"]?.array?.compactMap { $0["status"]?.string }, ["queued", "sending", "sent", "delivered"])
        let got = await listener.wait(for: 3)
        XCTAssertEqual(got.map { $0.param("MessageStatus") }, ["sending", "sent", "delivered"])
        for c in got {
            XCTAssertEqual(c.path, "/webhooks/demo/twilio?tenant=demo")
            XCTAssertEqual(c.headers["content-type"], "application/x-www-form-urlencoded")
            XCTAssertEqual(c.headers["x-twilio-signature"], expectedSignature(url, c.params, token: authToken))
            XCTAssertNotEqual(c.headers["x-twilio-signature"], expectedSignature(url, c.params, token: "other-token"))
            XCTAssertEqual(c.param("MessageSid"), sid)
            XCTAssertEqual(c.param("SmsSid"), sid)
            XCTAssertEqual(c.param("SmsStatus"), c.param("MessageStatus"))
            XCTAssertEqual(c.param("AccountSid"), account)
            XCTAssertEqual(c.param("To"), "+13125550142")
            XCTAssertEqual(c.param("From"), from)
            XCTAssertEqual(c.param("ApiVersion"), "2010-04-01")
            XCTAssertNil(c.param("ErrorCode"))
        }
        let fetched = try await twilioGET(messages + "/\(sid).json")
        XCTAssertEqual(fetched.json["status"]?.string, "delivered")
        XCTAssertNotEqual(fetched.json["date_sent"], .null)
        let recorded = try await get("/_control/twilio/messages").json.array?.first { $0["sid"]?.string == sid }
        XCTAssertEqual(recorded?["callbacks"]?.array?.compactMap { $0["http_status"]?.int64 }, [204, 204, 204])
        let back = try await advance(sid, "sent")
        XCTAssertEqual(back.status, 400)
    }

    func testFailedStatusCallbackCarriesTheErrorCode() async throws {
        let listener = try TwilioCallbackListener()
        defer { listener.stop() }
        let url = "http://127.0.0.1:\(listener.port)/cb"
        let sid = try await sms("+13125550142", callback: url)
        let undelivered = try await advance(sid, "undelivered", errorCode: 30006)
        XCTAssertEqual(undelivered.status, 200, undelivered.text)
        let got = await listener.wait(for: 3)
        XCTAssertEqual(got.last?.param("MessageStatus"), "undelivered")
        XCTAssertEqual(got.last?.param("ErrorCode"), "30006")
        XCTAssertEqual(got.last?.headers["x-twilio-signature"], expectedSignature(url, got.last?.params ?? [], token: authToken))
        let fetched = try await twilioGET(messages + "/\(sid).json")
        XCTAssertEqual(fetched.json["error_code"]?.int64, 30006)
        XCTAssertEqual(fetched.json["error_message"]?.string, "Landline or unreachable carrier")
    }

    func testCallbacksCanBeMadeToArriveOutOfOrderAndTwice() async throws {
        let listener = try TwilioCallbackListener()
        defer { listener.stop() }
        _ = try await postJSON("/_control/twilio/callbacks", #"{"out_of_order":true,"duplicate":true}"#)
        let sid = try await sms("+13125550142", callback: "http://127.0.0.1:\(listener.port)/cb")
        _ = try await advance(sid, "delivered")
        let got = await listener.wait(for: 6)
        XCTAssertEqual(got.map { $0.param("MessageStatus") }, ["delivered", "delivered", "sent", "sent", "sending", "sending"])
    }

    func testSignatureMatchesTheApiNotesVector() {
        let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
                      ("From", "+12349013030"), ("To", "+18005551212")]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: url, parameters: params.reversed().map { (name: $0.0, value: $0.1) }), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        XCTAssertEqual(expectedSignature(url, params, token: "12345"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    }

    func testCredentialsListTwilio() async throws {
        let t = try await get("/_control/credentials").json["twilio"]
        XCTAssertEqual(t?["account_sid"]?.string, account)
        XCTAssertEqual(t?["auth_token"]?.string, authToken)
        XCTAssertEqual(t?["api_key_sid"]?.string?.hasPrefix("SK"), true)
        XCTAssertEqual(t?["messaging_service_sid"]?.string?.hasPrefix("MG"), true)
        XCTAssertEqual(t?["from"]?.string, from)
        XCTAssertNotNil(t?["api_key_secret"]?.string)
    }

    func testFaultDelayAfterCommitCreatesTheMessageBeforeTheAnswer() async throws {
        _ = try await postJSON("/_control/faults", #"{"service":"twilio","status":503,"delay_after_commit":true,"delay_ms":10}"#)
        let r = try await send([("To", "+13125550142"), ("From", from), ("Body", "hi")])
        assertTwilioError(r, 503, 20500)
        let list = try await twilioGET(messages + ".json?" + SandboxTestCase.encode([("To", "+13125550142")]))
        XCTAssertEqual(list.json["messages"]?.array?.count, 1)
    }

    /// One exchange over a plain socket (see `rawGET`), for 401 answers.
    func rawTwilio(_ method: String, _ path: String, auth: String?, body: String?) throws -> String {
        var headers = auth.map { ["Authorization: \($0)"] } ?? []
        if body != nil { headers.append("Content-Type: application/x-www-form-urlencoded") }
        return try rawExchange(method, path, headers: headers, body: body)
    }
}

final class SandboxTwilioLimitTests: TwilioSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(twilioConcurrency: 2, twilioPerSecond: 4, twilioStatusStep: 0) }

    func testRequestBeyondConcurrencyAnswers429With20429AndIsNotProcessed() async throws {
        _ = try await postJSON("/_control/faults", #"{"service":"twilio","delay_ms":800,"count":2}"#)
        let held = ["+13125550142", "+13125550143"].map { to in
            var req = URLRequest(url: URL(string: base + messages + ".json")!)
            req.httpMethod = "POST"
            req.setValue(basic(account, authToken), forHTTPHeaderField: "Authorization")
            req.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            req.httpBody = Data(SandboxTestCase.encode([("To", to), ("From", from), ("Body", "hi")]).utf8)
            let request = req
            return Task { try await URLSession.shared.data(for: request).1 as? HTTPURLResponse }
        }
        try await Task.sleep(for: .milliseconds(250))
        let third = try await send([("To", "+13125550144"), ("From", from), ("Body", "hi")])
        assertTwilioError(third, 429, 20429)
        for task in held {
            let status = try await task.value?.statusCode
            XCTAssertEqual(status, 201)
        }
        let counts = try await get("/_control/twilio/counts").json
        XCTAssertEqual(counts["rate_limited"]?.int64, 1)
        XCTAssertEqual(counts["messages"]?.int64, 2)
        XCTAssertEqual(counts["create"]?.int64, 2)
    }

    func testRequestsBeyondThePerSecondLimitAnswer429() async throws {
        var statuses: [Int] = []
        for _ in 0..<5 { statuses.append(try await twilioGET(messages + ".json").status) }
        XCTAssertEqual(statuses, [200, 200, 200, 200, 429])
        try await Task.sleep(for: .milliseconds(1100))
        let later = try await twilioGET(messages + ".json")
        XCTAssertEqual(later.status, 200)
    }
}

final class SandboxTwilioLifecycleTests: TwilioSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(twilioStatusStep: 0.1) }

    func testMessagesAdvanceByTimeToDeliveredOrUndelivered30003() async throws {
        let listener = try TwilioCallbackListener()
        defer { listener.stop() }
        _ = try await postJSON("/_control/twilio/numbers", #"{"unreachable":["+13125550180"]}"#)
        let url = "http://127.0.0.1:\(listener.port)/cb"
        let ok = try await sms("+13125550142", callback: url)
        let lost = try await sms("+13125550180", callback: url)
        let got = await listener.wait(for: 6)
        let finals = Dictionary(got.filter { ["delivered", "undelivered"].contains($0.param("MessageStatus")) }
            .map { ($0.param("MessageSid") ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(finals[ok]?.param("MessageStatus"), "delivered")
        XCTAssertEqual(finals[lost]?.param("MessageStatus"), "undelivered")
        XCTAssertEqual(finals[lost]?.param("ErrorCode"), "30003")
        XCTAssertEqual(got.filter { $0.param("MessageSid") == ok }.map { $0.param("MessageStatus") }, ["sending", "sent", "delivered"])
        let fetched = try await twilioGET(messages + "/\(lost).json")
        XCTAssertEqual(fetched.json["status"]?.string, "undelivered")
        XCTAssertEqual(fetched.json["error_code"]?.int64, 30003)
    }
}

final class SandboxPurchasingTests: SandboxTestCase {
    func row(_ table: String, _ match: (JSONValue) -> Bool) async throws -> JSONValue? {
        try await get("/_control/syspro/tables/\(table)").json.array?.first(where: match)
    }

    func testPurchaseOrdersHaveLinesRequisitionsCarryApprovalAndApInvoicesArePosted() async throws {
        let headers = try await get("/_control/syspro/tables/PorMasterHdr").json.array ?? []
        let lines = try await get("/_control/syspro/tables/PorMasterDetail").json.array ?? []
        XCTAssertGreaterThanOrEqual(headers.count, 7)
        XCTAssertEqual(Set(headers.compactMap { $0["OrderStatus"]?.string }), ["1", "4", "9", "*"], "no approval status on orders")
        for h in headers {
            let own = lines.filter { $0["PurchaseOrder"] == h["PurchaseOrder"] }
            XCTAssertFalse(own.isEmpty, "\(h)")
            XCTAssertEqual(own.compactMap { $0["Line"]?.double }, (1...own.count).map(Double.init))
        }
        let invoices = try await get("/_control/syspro/tables/ApInvoice").json.array ?? []
        XCTAssertTrue(invoices.allSatisfy { ($0["Journal"]?.double ?? 0) > 0 && $0["JournalDate"] != .null }, "only posted invoices are rows")
        let requisitions = try await get("/_control/syspro/tables/ReqDetail").json.array ?? []
        XCTAssertEqual(Set(requisitions.compactMap { $0["ReqnStatus"]?.string }), ["", "A"])
        let suppliers = Set((try await get("/_control/syspro/tables/ApSupplier").json.array ?? []).compactMap { $0["Supplier"]?.string })
        XCTAssertTrue(Set(headers.compactMap { $0["Supplier"]?.string }).isSubset(of: suppliers))
        XCTAssertTrue(Set(invoices.compactMap { $0["Supplier"]?.string }).isSubset(of: suppliers))
    }

    func testPoTransitionChangesOrderStatusAndBumpsTimeStamp() async throws {
        let before = try await row("PorMasterHdr") { $0["PurchaseOrder"]?.string == "P00874" }
        XCTAssertEqual(before?["OrderStatus"]?.string, "1", "a new order is ready to print")
        let r = try await postJSON("/_control/syspro/po-transition", #"{"purchase_order":"P00874","order_status":"4"}"#)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["OrderStatus"]?.string, "4")
        XCTAssertNotEqual(r.json["TimeStamp"], before?["TimeStamp"])
        let newest = try await odataMaxTimeStamp("PorMasterHdr")
        XCTAssertEqual(r.json["TimeStamp"]?.string, newest)
        let missing = try await postJSON("/_control/syspro/po-transition", #"{"purchase_order":"P99999","order_status":"1"}"#)
        XCTAssertEqual(missing.status, 404)
    }

    func testApPostMakesTheInvoicesRowWithItsJournalOnce() async throws {
        let before = try await row("ApInvoice") { $0["Invoice"]?.string == "TX-44188" }
        XCTAssertNil(before, "a registered, unposted invoice is not an ApInvoice row")
        let r = try await postJSON("/_control/syspro/ap-post", #"{"supplier":"TEXMFG","invoice":"TX-44188"}"#)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["Journal"]?.double, 314)
        XCTAssertNotEqual(r.json["JournalDate"], .null)
        XCTAssertEqual(r.json["OrigInvValue"]?.double, 2415)
        let again = try await postJSON("/_control/syspro/ap-post", #"{"supplier":"TEXMFG","invoice":"TX-44188"}"#)
        XCTAssertEqual(again.status, 409, again.text)
        let given = try await postJSON("/_control/syspro/ap-post", #"{"supplier":"FREIGHT","invoice":"LFS-30412","journal":400}"#)
        XCTAssertEqual(given.json["Journal"]?.double, 400)
        let unknown = try await postJSON("/_control/syspro/ap-post", #"{"supplier":"PACKCO","invoice":"NEW-1"}"#)
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let new = try await postJSON("/_control/syspro/ap-post", #"{"supplier":"PACKCO","invoice":"NEW-1","value":99.5}"#)
        XCTAssertEqual(new.json["OrigInvValue"]?.double, 99.5, new.text)
    }

    func testRequisitionApproveSetsReqnStatusOnEachLineWithANewTimeStamp() async throws {
        let before = try await row("ReqDetail") { $0["Requisition"]?.string == "R00031" }
        let r = try await postJSON("/_control/syspro/requisition-approve", #"{"requisition":"R00031","line":2}"#)
        XCTAssertEqual(r.status, 200, r.text)
        let lines = r.json.array ?? []
        XCTAssertEqual(lines.map { $0["ReqnStatus"]?.string }, ["", "A"], r.text)
        XCTAssertEqual(lines.first?["TimeStamp"], before?["TimeStamp"], "line 1 untouched")
        let missing = try await postJSON("/_control/syspro/requisition-approve", #"{"requisition":"R99999"}"#)
        XCTAssertEqual(missing.status, 404)
    }

    func testGenerateMakesOneTransitionPerPurchaseOrder() async throws {
        let made = try await postJSON("/_control/twilio/generate", #"{"purchase_orders":50}"#)
        XCTAssertEqual(made.status, 201, made.text)
        let moved = try await postJSON("/_control/twilio/generate", #"{"transitions":30}"#)
        XCTAssertEqual(moved.json["transitions"]?.int64, 30)
        let generated = (try await get("/_control/syspro/tables/PorMasterHdr").json.array ?? [])
            .filter { $0["PurchaseOrder"]?.string?.hasPrefix("GP") == true }
        XCTAssertEqual(generated.count, 50)
        XCTAssertEqual(generated.filter { $0["OrderStatus"]?.string == "4" }.count, 30)
        XCTAssertEqual(generated.filter { $0["OrderStatus"]?.string == "1" }.count, 20)
        let again = try await postJSON("/_control/twilio/generate", #"{"transitions":40}"#)
        XCTAssertEqual(again.json["transitions"]?.int64, 40)
        let after = (try await get("/_control/syspro/tables/PorMasterHdr").json.array ?? [])
            .filter { $0["PurchaseOrder"]?.string?.hasPrefix("GP") == true }
        XCTAssertEqual(after.filter { $0["OrderStatus"]?.string == "9" }.count, 20)
        XCTAssertEqual(after.filter { $0["OrderStatus"]?.string == "4" }.count, 30)
        XCTAssertEqual(after.filter { $0["OrderStatus"]?.string == "1" }.count, 0)
    }

    /// The newest PorMasterHdr TimeStamp as OData shows it.
    private func odataMaxTimeStamp(_ set: String) async throws -> String? {
        let auth = "Basic " + Data("odata:sandbox-odata".utf8).base64EncodedString()
        // The strict sandbox refuses $orderby=TimeStamp (docs/vendors/syspro.md, "OData binary
        // comparisons"): every row's, the largest as unsigned 64-bit.
        let r = try await get("/syspro/odata/\(set)", [("$select", "TimeStamp")], headers: ["Authorization": auth])
        func value(_ s: String) -> UInt64 { Data(base64Encoded: s).map { $0.reduce(0) { $0 << 8 | UInt64($1) } } ?? 0 }
        return r.json["value"]?.array?.compactMap { $0["TimeStamp"]?.string }.max { value($0) < value($1) }
    }
}
