import ConnectorKit
import ConnectorNet

@testable import Twilio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every Twilio answer the connector reads, through the entry points the client uses: a
/// create's answer under each status the outbox tells apart (201, 4xx refusal, 401, 429,
/// 5xx), a read's answer, a list page and each message in it (RFC 2822 dates included); and,
/// as the same HTTP-date reader takes it, the wait any vendor's 429 or 503 asks for. A thrown
/// typed error is fine (its text is built, as the logs do); a trap or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTwilio(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    func response(_ status: Int) -> HTTPResponse { HTTPResponse(status: status, headers: [:], body: body) }
    let text = String(decoding: body, as: UTF8.self)
    _ = RetryAfter.delay(in: HTTPResponse(status: 429, headers: ["Retry-After": text, "x-retry-after": text], body: Data()),
                         now: Date(timeIntervalSince1970: 1_795_000_000))
    for status in [201, 400, 401, 429, 503] {
        do { _ = "\(try TwilioClient.createOutcome(response(status), secretName: "twilio_auth_token"))" } catch { _ = "\(error)" }
    }
    for status in [200, 401, 404, 500] {
        do {
            let (code, json) = try TwilioClient.answer(response(status), operation: "list", secretName: "twilio_auth_token")
            _ = TwilioClient.errorText(json)
            let (rows, next) = try TwilioClient.listPage(status: code, json)
            _ = next
            for row in rows + [json] {
                do {
                    let m = try TwilioMessage(json: row)
                    _ = (TwilioFacts.rank(m.status), m.errorCode.map(TwilioFacts.deliveryError), m.created)
                } catch { _ = "\(error)" }
            }
        } catch { _ = "\(error)" }
    }
    return 0
}
