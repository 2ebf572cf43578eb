import ConnectorKit
import ConnectorNet

@testable import HubSpot
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every HubSpot answer the connector reads, through the entry points the client uses: the
/// answer under each status the client tells apart (2xx, 207 multi-status, 400 naming inputs,
/// 401, 404, 429 with its DAILY policy), then a batch answer's results and per-input errors
/// tied to the keys sent. A thrown typed error is fine (its text is built, as the logs do);
/// a trap or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHubSpot(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    let request = HTTPRequest(.post, "https://api.hubapi.example/crm/v3/objects/companies/batch/upsert")
    _ = HubSpotClient.isDailyLimit(body)
    for status in [200, 207, 400, 401, 404, 429, 500] {
        do {
            let (_, json) = try HubSpotClient.answer(HTTPResponse(status: status, headers: [:], body: body), request: request,
                                                     operation: "upsert companies", allow404: true, allow400: true)
            var outcome = BatchOutcome()
            outcome.record(results: json, idProperty: "syspro_customer_code")
            outcome.failures = HubSpotClient.failures(json, keys: keys)
            _ = outcome.failures.map { "\($0.key) \($0.isTransient) \($0.message)" }
        } catch { _ = "\(error)" }
    }
    return 0
}

/// The keys a batch sent, as the seeds name them in results and error contexts.
let keys = ["C1001", "C1002", "kim@example.com", "C1001-100234-I", "901"]
