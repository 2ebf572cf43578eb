import ConnectorKit
import ConnectorNet

@testable import ShipBob
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every ShipBob answer and webhook body the connector reads, through the entry points the
/// client and the jobs use: the OAuth token answer (as a 2xx and as a refusal), orders and
/// their shipments, shipments, receiving orders, products, inventory levels, channels, and the
/// webhook envelopes. A thrown typed error is fine (its text is built, as the logs do); a
/// trap or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShipBob(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    let request = HTTPRequest(.post, "https://auth.shipbob.example/connect/token")
    for status in [200, 400] {
        do {
            let tokens = try OAuthTokens(tokenAnswer: HTTPResponse(status: status, headers: [:], body: body), to: request,
                                         operation: "OAuth refresh", keeping: nil, tenant: "fuzz", now: Date(timeIntervalSince1970: 1_795_000_000))
            _ = Timestamp.iso8601(tokens.expiresAt)  // ShipBobAuth logs when the new token expires
        } catch { _ = "\(error)" }
    }
    guard let json = try? JSONValue.parse(Array(body)) else { return 0 }

    // A webhook body (ShipBobEvent, then the job's ShipmentPayload), or a GET /order answer.
    _ = ShipBobEvent.receivingOrderID(from: json)
    let reference = ShipBobEvent.orderReference(from: json)
    var states = (ShipmentPayload.orderShipments(json) ?? []).compactMap { ShipmentState(json: $0, orderID: reference.orderID) }
    states += [ShipmentPayload.shipment(json), json].compactMap { $0.flatMap { ShipmentState(json: $0) } }
    for a in states { for b in states { _ = a.supersedes(b) } }
    read(order: json)
    read(receiving: json)

    // List answers: GET /order and GET /receiving (arrays), GET /product and
    // GET /inventory-level/locations (pages of `items`), GET /channel.
    for item in json.array ?? [] { read(order: item); read(receiving: item) }
    for item in (json["items"]?.array ?? []) + [json] {
        do { _ = try ShipBobVariant.all(in: item, source: "fuzz").map(\.jsonBytes) } catch { _ = "\(error)" }
        do { _ = try ShipBobLocationLevel.all(in: item, source: "fuzz") } catch { _ = "\(error)" }
    }
    do { _ = try ShipBobChannel.page(json, url: "fuzz") } catch { _ = "\(error)" }
    return 0
}

func read(order json: JSONValue) {
    do {
        let order = try ShipBobOrder(json: json)
        _ = order.shipments.map { ShipmentState.phase(status: $0.status ?? "", details: [], delivered: false, tracked: $0.trackingNumber != nil) }
    } catch { _ = "\(error)" }
}

func read(receiving json: JSONValue) {
    do { _ = try ShipBobReceivingOrder(json: json).isCompleted } catch { _ = "\(error)" }
}
