import ConnectorKit
import Foundation
import WebhookCore

/// Builders for ShipBob's JSON resources, shaped after seed file 003 (the order and
/// shipment bodies of the legacy webhooks, which are the GET models) so that what the
/// sandbox serves and what `emit` sends parse with the same code as the real thing.
enum ShipBobShapes {
    struct Recipient {
        var name: String
        var address1: String
        var address2: String? = nil
        var company: String? = nil
        var city: String
        var state: String
        var country: String = "US"
        var zip: String
        var email: String
        var phone: String

        var json: JSONValue {
            [
                "name": .string(name),
                "address": [
                    "address1": .string(address1), "address2": .str(address2), "company_name": .str(company),
                    "city": .string(city), "state": .string(state), "country": .string(country), "zip_code": .string(zip),
                ],
                "email": .string(email),
                "phone_number": .string(phone),
            ]
        }
    }

    struct Line {
        var sku: String
        var quantity: Int
        var unitPrice: Double
    }

    struct Tracking {
        var carrier: String
        var number: String
        var service: String

        var json: JSONValue {
            [
                "carrier": .string(carrier), "tracking_number": .string(number), "carrier_service": .string(service),
                "tracking_url": .string(trackingURL), "bol": nil, "shipping_date": nil, "pro_number": nil, "scac": nil,
            ]
        }

        private var trackingURL: String {
            switch carrier {
            case "UPS": return "https://www.ups.com/track?tracknum=\(number)"
            case "FedEx": return "https://www.fedex.com/fedextrack/?trknbr=\(number)"
            default: return "https://tools.usps.com/go/TrackConfirmAction!input.action?tRef=qt&tLc=0&tLabels=\(number)"
            }
        }
    }

    static func channel(id: Int, name: String, application: String) -> JSONValue {
        [
            "id": .int(id), "name": .string(name), "application_name": .string(application),
            "scopes": ["orders_read", "orders_write", "products_read", "products_write", "inventory_read",
                       "receiving_read", "receiving_write", "webhooks_read", "webhooks_write", "fulfillments_read", "channels_read"],
        ]
    }

    /// Field names of the receiving API's FulfillmentCenterViewModel
    /// (developer.shipbob.com/2026-07/api/receiving/get-fulfillment-centers).
    static func fulfillmentCenter(id: Int, name: String, timezone: String, address1: String, city: String,
                                  state: String, zip: String) -> JSONValue {
        [
            "id": .int(id), "name": .string(name), "timezone": .string(timezone), "address1": .string(address1),
            "address2": nil, "city": .string(city), "state": .string(state), "country": "US",
            "zip_code": .string(zip), "phone_number": "8444744726", "email": "support@shipbob.com",
        ]
    }

    /// A product of one variant as ShipBob models it: `barcodes[{value}]`, `upc` (the barcode
    /// when it is a UPC-A), `gtin`, never a bare `barcode` (docs/vendors/shipbob.md, "Product
    /// variant barcodes").
    static func product(id: Int, variantId: Int, inventoryId: Int, sku: String, name: String, barcode: String?,
                        value: Double, created: String) -> JSONValue {
        [
            "id": .int(id), "name": .string(name), "type": "Regular", "category": nil, "created_on": .string(created),
            "updated_on": .string(created),
            "variants": [[
                "id": .int(variantId), "sku": .string(sku), "name": .string(name),
                "barcodes": .array(barcode.map { [["value": .string($0)]] } ?? []),
                "upc": .str(barcode.flatMap { isUPC($0) ? $0 : nil }), "gtin": nil,
                "status": "Active", "is_digital": false,
                "customs": ["value": .number(value), "currency": "USD", "country_code_of_origin": "US",
                            "hs_tariff_code": "6109100012", "description": .string(name)],
                "inventory": ["inventory_id": .int(inventoryId), "on_hand_qty": 0],
            ]],
        ]
    }

    /// A UPC-A: 12 digits.
    static func isUPC(_ code: String) -> Bool { code.utf8.count == 12 && code.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    static func shipment(id: Int, orderId: Int, referenceId: String, recipient: Recipient, created: String,
                         lastUpdate: String?, status: String, statusDetails: [JSONValue] = [],
                         location: (id: Int, name: String), tracking: Tracking?, items: [(product: JSONValue?, line: Line)],
                         delivered: String? = nil) -> JSONValue {
        var recipientJSON = recipient.json
        recipientJSON[set: "full_name"] = .string(recipient.name)
        let shipped = tracking != nil
        return [
            "id": .int(id), "order_id": .int(orderId), "reference_id": .string(referenceId),
            "recipient": recipientJSON, "created_date": .string(created), "last_update_at": .str(lastUpdate),
            "last_tracking_update_at": shipped ? .str(lastUpdate) : nil,
            "status": .string(status), "status_details": .array(statusDetails),
            "location": ["id": .int(location.id), "name": .string(location.name)],
            "invoice_amount": shipped ? 6.41 : 0, "invoice_currency_code": "USD", "insurance_value": nil,
            "ship_option": "Ground", "package_material_type": "Box", "tracking": tracking.map { $0.json } ?? .null,
            "products": .array(items.map { shipmentProduct($0.product, $0.line, committed: status != "Cancelled") }),
            "parent_cartons": [],
            "measurements": ["total_weight_oz": 5, "length_in": 6, "width_in": 5, "depth_in": 4],
            "require_signature": false,
            "estimated_fulfillment_date": nil,
            "actual_fulfillment_date": shipped ? .str(lastUpdate) : nil,
            "estimated_fulfillment_date_status": shipped ? "FulfilledOnTime" : "AwaitingReset",
            "is_tracking_uploaded": false, "gift_message": nil, "delivery_date": .str(delivered),
        ]
    }

    private static func shipmentProduct(_ product: JSONValue?, _ line: Line, committed: Bool) -> JSONValue {
        let variant = product?["variants"]?.array?.first
        let name = product?["name"] ?? .string(line.sku)
        return [
            "id": product?["id"] ?? .null, "reference_id": .string(line.sku), "name": name, "sku": .string(line.sku),
            "inventory_items": [[
                "id": variant?["inventory"]?["inventory_id"] ?? .null, "name": name, "quantity": .int(line.quantity),
                "quantity_committed": committed ? .int(line.quantity) : 0, "lot": nil, "expiration_date": nil,
                "serial_numbers": [], "is_dangerous_goods": false,
            ]],
        ]
    }

    static func order(id: Int, referenceId: String, orderNumber: String, channel: JSONValue, created: String,
                      status: String, recipient: Recipient, lines: [(product: JSONValue?, line: Line)],
                      shipments: [JSONValue], shippingMethod: String = "Standard") -> JSONValue {
        let total = lines.reduce(0.0) { $0 + Double($1.line.quantity) * $1.line.unitPrice }
        return [
            "id": .int(id), "created_date": .string(created), "purchase_date": .string(created),
            "reference_id": .string(referenceId), "order_number": .string(orderNumber),
            "status": .string(status), "type": "DTC",
            "channel": ["id": channel["id"] ?? .null, "name": channel["name"] ?? .null],
            "shipping_method": .string(shippingMethod), "recipient": recipient.json,
            "products": .array(lines.map { p, l in
                [
                    "id": p?["id"] ?? .null, "reference_id": .string(l.sku), "quantity": .int(l.quantity),
                    "quantity_unit_of_measure_code": "EA", "sku": .string(l.sku), "gtin": nil,
                    "upc": p?["variants"]?.array?.first?["upc"] ?? .null, "unit_price": .number(l.unitPrice),
                    "external_line_id": nil,
                ]
            }),
            "tags": [], "shipments": .array(shipments), "gift_message": nil,
            "shipping_terms": ["carrier_type": nil, "payment_term": nil],
            "retailer_program_data": [
                "purchase_order_number": nil, "retailer_program_type": nil, "mark_for_store": nil, "department": nil,
                "delivery_date": nil, "addresses": [], "customer_ticket_number": nil, "ship_by_date": nil,
                "do_not_ship_before_date": nil,
            ],
            "financials": ["total_price": .number((total * 100).rounded() / 100)],
        ]
    }

    /// A warehouse receiving order; statuses and per-item quantities as docs/vendors/shipbob.md ("Receiving").
    static func receiving(id: Int, status: String, fc: (id: Int, name: String), purchaseOrder: String,
                          expectedArrival: String, lastUpdated: String, externalSync: Bool,
                          items: [(sku: String, inventoryId: Int, expected: Int, received: Int)]) -> JSONValue {
        [
            "id": .int(id), "status": .string(status), "purchase_order_number": .string(purchaseOrder),
            "package_type": "Package", "box_packaging_type": "EverythingInOneBox",
            "fulfillment_center": ["id": .int(fc.id), "name": .string(fc.name)],
            "expected_arrival_date": .string(expectedArrival), "insert_date": .string(expectedArrival),
            "last_updated_date": .string(lastUpdated), "external_sync_timestamp": externalSync ? .string(lastUpdated) : nil,
            "inventory_quantities": .array(items.map {
                [
                    "inventory_id": .int($0.inventoryId), "sku": .string($0.sku), "expected_quantity": .int($0.expected),
                    "received_quantity": .int($0.received), "stowed_quantity": .int($0.received),
                ]
            }),
        ]
    }
}

extension JSONValue {
    /// A one-variant product with the variant's `barcodes` and `upc` as a write sent them.
    func settingVariant(barcodes: JSONValue?, upc: JSONValue?) -> JSONValue {
        guard var v = self["variants"]?.array?.first else { return self }
        if let list = barcodes?.array { v[set: "barcodes"] = .array(list.map { ["value": $0["value"] ?? nil] }) }
        if let upc, !upc.isNull { v[set: "upc"] = upc }
        var p = self
        p[set: "variants"] = [v]
        return p
    }
}

extension Reply {
    /// Keeps the paging headers the switch lets ShipBob send (docs/vendors/shipbob.md,
    /// "Listing orders: Limit and paging headers").
    func pagingHeaders(_ mode: ShipBobSwitches.PagingHeaders) -> Reply {
        let kept: Set<String>
        switch mode {
        case .none: kept = []
        case .nextPage: kept = ["next-page"]
        case .totalPages: kept = ["total-pages", "page-number"]
        case .all: kept = ["next-page", "total-pages", "page-number", "total-count"]
        }
        let paging: Set<String> = ["next-page", "total-pages", "page-number", "total-count"]
        var r = self
        r.headers = headers.filter { !paging.contains($0.0.lowercased()) || kept.contains($0.0.lowercased()) }
        return r
    }
}
