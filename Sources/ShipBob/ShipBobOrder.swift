import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The parts of a ShipBob order the connector moves into SYSPRO, read tolerantly from the
/// full-order payload (`GET /order/{id}`, legacy `order_shipped` webhook; seed file 003):
/// only `id` and `products` are required, everything else may be missing or null.
public struct ShipBobOrder: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        public let sku: String
        public let quantity: Int
        public let unitPrice: Double?

        public init(sku: String, quantity: Int, unitPrice: Double?) {
            self.sku = sku; self.quantity = quantity; self.unitPrice = unitPrice
        }
    }

    public struct Shipment: Sendable, Equatable {
        public let id: Int64
        public let status: String?
        public let trackingNumber: String?
        public let carrier: String?
        /// Fulfillment center id (`location.id`).
        public let locationID: Int64?
        /// What this shipment holds, per SKU: the sum of its `inventory_items[].quantity`, or
        /// the product's `quantity` where no items are listed (seed 003 shapes).
        public let quantities: [String: Int]

        public init(id: Int64, status: String?, trackingNumber: String?, carrier: String?, locationID: Int64?,
                    quantities: [String: Int] = [:]) {
            self.id = id; self.status = status; self.trackingNumber = trackingNumber; self.carrier = carrier; self.locationID = locationID
            self.quantities = quantities
        }

        static func quantities(_ products: [JSONValue]) -> [String: Int] {
            var out: [String: Int] = [:]
            for p in products {
                guard let sku = p["sku"]?.nonEmptyString ?? p["reference_id"]?.nonEmptyString else { continue }
                let items = (p["inventory_items"]?.array ?? []).compactMap { $0["quantity"]?.int64 }.reduce(0, +)
                let q = items > 0 ? items : p["quantity"]?.int64 ?? 0
                if q > 0 { out[sku, default: 0] += Int(q) }
            }
            return out
        }
    }

    public let id: Int64
    public let referenceID: String?
    public let orderNumber: String?
    public let channelID: Int64?
    public let channelName: String?
    public let recipientName: String?
    public let recipientCompany: String?
    /// Street, city, state, country: the non-empty ones, in the order SYSPRO's ShipAddress1-5
    /// take them.
    public let recipientAddress: [String]
    public let recipientZip: String?
    public let recipientEmail: String?
    public let products: [Product]
    public let shipments: [Shipment]
    /// Where each shipment stands, as a shipment event would say it: what a shipment event
    /// naming only its `order_id` is read from.
    public let shipmentStates: [ShipmentState]
    /// As sent (ISO 8601 with up to 7 fractional digits); `purchaseDate` is it parsed.
    public let purchaseDateText: String?
    public let purchaseDate: Date?

    public init(json: JSONValue) throws {
        func missing(_ field: String) -> DataError {
            DataError(source: "ShipBob order \(json["id"]?.string ?? "(no id)")", problem: "\(field) is missing or not usable")
        }
        guard let id = json["id"]?.int64 else { throw missing("id") }
        guard let products = json["products"]?.array else { throw missing("products") }
        self.id = id
        referenceID = json["reference_id"]?.nonEmptyString
        orderNumber = json["order_number"]?.nonEmptyString
        channelID = json["channel"]?["id"]?.int64
        channelName = json["channel"]?["name"]?.nonEmptyString
        let recipient = json["recipient"], address = recipient?["address"]
        recipientName = recipient?["name"]?.nonEmptyString
        recipientCompany = address?["company_name"]?.nonEmptyString
        recipientAddress = ["address1", "address2", "city", "state", "country"].compactMap { address?[$0]?.nonEmptyString }
        recipientZip = address?["zip_code"]?.nonEmptyString
        recipientEmail = recipient?["email"]?.nonEmptyString
        self.products = try products.enumerated().map { i, p in
            guard let sku = p["sku"]?.nonEmptyString ?? p["reference_id"]?.nonEmptyString else { throw missing("products[\(i)].sku") }
            guard let quantity = p["quantity"]?.int64, quantity > 0 else { throw missing("products[\(i)].quantity") }
            return Product(sku: sku, quantity: Int(quantity), unitPrice: p["unit_price"]?.double)
        }
        shipments = (json["shipments"]?.array ?? []).compactMap { s in
            guard let sid = s["id"]?.int64 else { return nil }
            return Shipment(id: sid, status: s["status"]?.nonEmptyString,
                            trackingNumber: s["tracking"]?["tracking_number"]?.nonEmptyString,
                            carrier: s["tracking"]?["carrier"]?.nonEmptyString, locationID: s["location"]?["id"]?.int64,
                            quantities: Shipment.quantities(s["products"]?.array ?? []))
        }
        shipmentStates = (json["shipments"]?.array ?? []).compactMap { ShipmentState(json: $0, orderID: id) }
        purchaseDateText = json["purchase_date"]?.nonEmptyString
        purchaseDate = purchaseDateText.flatMap(ShipBobOrder.parseDate)
    }

    /// ShipBob writes .NET timestamps with 7 fractional digits (`...53.9009945+00:00`), which
    /// ISO 8601 parsers often refuse: the fraction is dropped (seconds are precision enough).
    static func parseDate(_ text: String) -> Date? {
        guard let dot = text.firstIndex(of: "."), let t = text.firstIndex(of: "T"), dot > t else { return Timestamp.parse(text) }
        let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) ?? text.endIndex
        return Timestamp.parse(String(text[..<dot]) + String(text[zone...]))
    }
}

extension JSONValue {
    /// A string or number as text, `nil` for null, absent or blank.
    var nonEmptyString: String? {
        guard let s = string?.trimmed, !s.isEmpty else { return nil }
        return s
    }
}
