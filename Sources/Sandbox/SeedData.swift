import ConnectorKit
import Foundation
import WebhookCore

/// The demo tenant: a mid-sized fashion distributor whose SYSPRO company `FASHION` ships
/// web orders from ShipBob. Fully deterministic, so tests and the demo always start from
/// the same rows, ids and rowversions. Credentials here are sandbox-only demo values.
public enum SeedData {
    // MARK: Credentials (listed by GET /_control/credentials)

    static let sysproOperators = ["ADMIN": "sandbox-syspro", "WEBSYNC": "sandbox-websync"]
    static let sysproCompanies = ["FASHION": ""]
    static let sysproCompanyName = "ML Fashion Distributors"
    static let odataUser = "odata"
    static let odataPassword = "sandbox-odata"
    static let shipBobPAT = "sandbox-pat-demo"
    static let shipBobClientId = "sandbox-client"
    static let shipBobClientSecret = "sandbox-client-secret"
    static let shipBobChannelId = 55176
    /// A private app token in HubSpot's `pat-<region>-<id>` form (docs/vendors/hubspot.md). Like
    /// the Twilio credentials below it is made up when the sandbox process starts, so no
    /// credential-shaped string is committed; `GET /_control/credentials` lists them.
    /// The private app the token belongs to: token info names it, and property history
    /// names it as the source of the token's writes.
    static let hubSpotAppId = 1
    static let hubSpotToken = "pat-na1-" + randomHex(8) + "-" + randomHex(4) + "-" + randomHex(4) + "-" + randomHex(4) + "-" + randomHex(12)
    /// The account's portal (Hub) id, as `GET /account-info/v3/details` names it.
    static let hubSpotPortalId = 2_519_445
    static let sysproVersion = "8.0.105"
    /// Twilio's credential shapes (docs/vendors/twilio.md): an Account SID `AC` + 32 hex with its
    /// Auth Token, an API Key `SK` + 32 hex with its secret, a Messaging Service `MG` + 32 hex
    /// and the account's one SMS-capable number.
    static let twilioAccountSid = "AC" + randomHex(32)
    static let twilioAuthToken = randomHex(32)
    static let twilioApiKeySid = "SK" + randomHex(32)
    static let twilioApiKeySecret = randomHex(32)
    static let twilioMessagingServiceSid = "MG" + randomHex(32)
    static let twilioFrom = "+13125550199"
    /// The SharedKey a Webhook Setting signs callbacks with (`--twilio-callback-signing
    /// shared-key-*`): its id, as X-Twilio-Webhooks-Signature-Settings names it, and secret.
    static let twilioWebhookSharedKeyId = "webhooks_sharedkey_" + randomHex(32)
    static let twilioWebhookSharedKeySecret = randomHex(64)

    static func randomHex(_ digits: Int) -> String {
        Crypto.randomBytes((digits + 1) / 2).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined().prefix(digits).description
    }

    // MARK: Catalogue

    struct Item {
        let stockCode: String
        let description: String
        let productClass: String
        let price: Double
        let upc: String
        /// The SKU ShipBob knows it by; the demo config maps `TShirtBlueM` (seed file 003) to `TS-BLU-M`.
        var shipBobSku: String { stockCode == "TS-BLU-M" ? "TShirtBlueM" : stockCode }
    }

    static let warehouses = ["FG", "NY", "LA", "DA", "RT"]

    /// The demo's SYSPRO on-hand of item `i` in `warehouses[w]`.
    static func sysproOnHand(item i: Int, warehouse w: Int) -> Int {
        warehouses[w] == "RT" ? 1 + i % 3 : ((i + 3) * (w + 5) * 37) % 240 + (w == 0 ? 120 : 8)
    }

    /// ShipBob's fulfillment centers stand for the demo tenant's LA, DA and NY warehouses
    /// (its `mappings.location_warehouses`), and ShipBob counts what SYSPRO holds there,
    /// except for these deliberate differences (item, FC, units ShipBob holds more), so a
    /// first `inventory-variance` shows a short, readable report.
    static let mirroredWarehouse: [Int: String] = [10: "LA", 17: "DA", 28: "NY"]
    static let seededVariances: [(stockCode: String, fc: Int, delta: Int)] = [("HD-GRY-M", 17, 4), ("JN-STR-BLK-32", 28, -3)]

    static let items: [Item] = {
        var out: [Item] = []
        func add(_ code: String, _ desc: String, _ cls: String, _ price: Double) {
            out.append(Item(stockCode: code, description: desc, productClass: cls, price: price,
                            upc: String(format: "0840%08d", 31000 + out.count * 7)))
        }
        let sizes = ["S", "M", "L", "XL"]
        for (color, name) in [("BLU", "Blue"), ("WHT", "White"), ("BLK", "Black")] {
            for s in sizes { add("TS-\(color)-\(s)", "Classic Tee \(name) \(s)", "TEES", 14.99) }
        }
        for (style, name) in [("SUN-RED", "Sundress Red"), ("WRP-NAV", "Wrap Dress Navy")] {
            for s in ["S", "M", "L"] { add("DR-\(style)-\(s)", "\(name) \(s)", "DRESS", 59.00) }
        }
        for (style, name) in [("SLM-IND", "Slim Jean Indigo"), ("STR-BLK", "Straight Jean Black")] {
            for w in ["30", "32", "34", "36"] { add("JN-\(style)-\(w)", "\(name) W\(w)", "DENIM", 79.50) }
        }
        for s in sizes { add("HD-GRY-\(s)", "Pullover Hoodie Grey \(s)", "TOPS", 49.00) }
        add("AC-CAP-NAV", "Baseball Cap Navy", "ACCES", 19.95)
        add("AC-BELT-BRN-M", "Leather Belt Brown M", "ACCES", 34.00)
        add("AC-SCARF-WOL", "Wool Scarf Charcoal", "ACCES", 29.50)
        return out
    }()

    /// Sold by ShipBob on the web but unknown to SYSPRO: orders carrying it go to attention.
    static let shipBobOnlySku = "MUG-LOGO-11OZ"

    // MARK: SYSPRO

    static let customers: [(code: String, name: String, email: String, phone: String, contact: String, cls: String, terms: String)] = [
        ("0000100", "Online Store - Shopify", "web-orders@mlfashion.example", "312-555-0100", "Web Team", "WB", "CC"),
        ("0000101", "Amazon Marketplace", "amazon@mlfashion.example", "312-555-0101", "Marketplace Desk", "WB", "CC"),
        ("0000102", "Northwind Boutique", "buyer@northwind-boutique.example", "617-555-0142", "Avery Chen", "WH", "30"),
        ("0000103", "Harbor & Pine Outfitters", "orders@harborpine.example", "207-555-0177", "Jordan Blake", "WH", "30"),
        ("0000104", "Metro Department Stores", "edi@metro-dept.example", "212-555-0190", "Priya Natarajan", "KA", "60"),
        ("0000105", "Sunset Surf Co.", "hello@sunsetsurf.example", "858-555-0133", "Luis Ortega", "WH", "30"),
        // No usable email: one blank, one HubSpot refuses as an email address.
        ("0000106", "Lakeside Tailoring", "", "608-555-0114", "Sam Whitfield", "WH", "30"),
        ("0000107", "Bayview Goods", "accounts(at)bayviewgoods.example", "415-555-0166", "Dana Ruiz", "WH", "30"),
    ]

    /// Customer classes and terms codes on file: ARSSCS refuses any other (2 characters
    /// each, docs/vendors/syspro.md, "Customer maintenance: ARSSCS Setup/Update").
    static let customerClasses: Set<String> = ["WB", "WH", "KA", "RT"]
    static let termsCodes: Set<String> = ["CC", "30", "60", "90"]

    static func syspro() -> SysproDatabase {
        var db = SysproDatabase(tables: SysproSchema.emptyTables(), firstRowversion: 0x0000_0000_0001_86A0,
                                nextSalesOrder: 15562, nextJournal: 1207)
        // What a site calls its warehouses; the three ShipBob stands for name the center's town.
        for (code, description) in [("FG", "Finished goods - Chicago"), ("NY", "New York - ShipBob Bethlehem PA"),
                                    ("LA", "Los Angeles - ShipBob Moreno Valley CA"), ("DA", "Dallas - ShipBob Grapevine TX"),
                                    ("RT", "Retail returns")] {
            db.insert("InvWhControl", ["Warehouse": .string(code), "Description": .string(description)])
        }
        for (i, it) in items.enumerated() {
            db.insert("InvMaster", [
                "StockCode": .string(it.stockCode), "Description": .string(it.description),
                "LongDesc": .string(it.description + " - ML Fashion core range"), "StockUom": "EA",
                "ProductClass": .string(it.productClass), "WarehouseToUse": "FG", "AlternateKey1": .string(it.upc),
                "Mass": .number(it.productClass == "DENIM" ? 0.7 : 0.25), "Supplier": .string(i % 2 == 0 ? "TEXMFG" : "DENIMCO"),
            ])
        }
        for (i, it) in items.enumerated() {
            for (w, wh) in warehouses.enumerated() where wh != "RT" || i % 5 == 0 {
                let onHand = Double(sysproOnHand(item: i, warehouse: w))
                db.insert("InvWarehouse", [
                    "StockCode": .string(it.stockCode), "Warehouse": .string(wh), "QtyOnHand": .number(onHand),
                    "QtyAllocated": .number(wh == "FG" ? Double(i % 4) : 0),
                    "QtyOnOrder": .number(wh == "FG" && i % 6 == 0 ? 144 : 0),
                    "QtyInTransit": .number(wh == "LA" && i % 7 == 0 ? 24 : 0),
                ])
            }
        }
        for it in items {
            db.insert("InvPrice", ["StockCode": .string(it.stockCode), "PriceCode": "A", "SellingPrice": .number(it.price), "PriceBasis": "P"])
            db.insert("InvPrice", ["StockCode": .string(it.stockCode), "PriceCode": "W",
                                   "SellingPrice": .number((it.price * 0.55 * 100).rounded() / 100), "PriceBasis": "P"])
        }
        for c in customers {
            db.insert("ArCustomer", [
                "Customer": .string(c.code), "Name": .string(c.name), "Email": .string(c.email),
                "Telephone": .string(c.phone), "Contact": .string(c.contact), "Currency": "$",
                "CustomerClass": .string(c.cls), "TermsCode": .string(c.terms),
            ])
        }
        // Wholesale history: four orders (the last invoiced) before the first web order.
        let history: [(so: String, cust: String, po: String, status: String, date: String, lines: [(String, Double)])] = [
            ("015558", "0000102", "NWB-2231", "9", "2026-07-21", [("TS-WHT-M", 48), ("TS-WHT-L", 36)]),
            ("015559", "0000104", "MDS-880112", "4", "2026-07-24", [("DR-WRP-NAV-M", 24), ("JN-SLM-IND-32", 30)]),
            ("015560", "0000103", "HP-5521", "1", "2026-07-28", [("HD-GRY-L", 20)]),
            ("015561", "0000105", "SSC-0731", "1", "2026-07-31", [("TS-BLK-S", 60), ("AC-CAP-NAV", 40)]),
        ]
        for h in history {
            let name = customers.first { $0.code == h.cust }!.name
            db.insert("SorMaster", [
                "SalesOrder": .string(h.so), "Customer": .string(h.cust), "CustomerPoNumber": .string(h.po),
                "OrderStatus": .string(h.status), "CancelledFlag": "", "OrderDate": .date(h.date + "T00:00:00Z"),
                "CustomerName": .string(name), "ShippingInstrs": "", "SpecialInstrs": "",
            ])
            for (n, l) in h.lines.enumerated() {
                let it = items.first { $0.stockCode == l.0 }!
                db.insert("SorDetail", [
                    "SalesOrder": .string(h.so), "SalesOrderLine": .number(Double(n + 1)), "LineType": "1",
                    "MStockCode": .string(l.0), "MStockDes": .string(it.description), "MWarehouse": "FG",
                    "MOrderQty": .number(l.1), "MPrice": .number((it.price * 0.55 * 100).rounded() / 100),
                    "MCustomerPoLine": .string(String(n + 1)),
                ])
            }
        }
        addReceivables(&db)
        addPurchasing(&db)
        return db
    }

    // MARK: ShipBob

    static let fulfillmentCenters: [JSONValue] = [
        ShipBobShapes.fulfillmentCenter(id: 10, name: "Moreno Valley (CA)", timezone: "Pacific Standard Time",
                                        address1: "28010 Eucalyptus Ave", city: "Moreno Valley", state: "CA", zip: "92555"),
        ShipBobShapes.fulfillmentCenter(id: 17, name: "Grapevine 2 (TX)", timezone: "Central Standard Time",
                                        address1: "2601 W Bethel Rd", city: "Grapevine", state: "TX", zip: "76051"),
        ShipBobShapes.fulfillmentCenter(id: 28, name: "Bethlehem (PA)", timezone: "Eastern Standard Time",
                                        address1: "1600 Iron St", city: "Bethlehem", state: "PA", zip: "18017"),
    ]

    static func shipBob() -> ShipBobStore {
        let channels: [JSONValue] = [
            ShipBobShapes.channel(id: 55176, name: "ML Fashion Shopify", application: "Shopify"),
            ShipBobShapes.channel(id: 55177, name: "ML Fashion Amazon", application: "Amazon"),
            // Deliberately absent from the demo tenant's channel map: its orders go to attention.
            ShipBobShapes.channel(id: 55178, name: "Pop-up Store POS", application: "SBX Pop-up"),
        ]
        var products: [JSONValue] = []
        var levels: [Int: [Int: ShipBobStore.Level]] = [:]
        // AC-SCARF-WOL is sold wholesale only, so ShipBob never stocked it.
        let catalogue = items.filter { $0.stockCode != "AC-SCARF-WOL" }.map { ($0.shipBobSku, $0.description, $0.upc, $0.price) }
            + [(shipBobOnlySku, "Logo Mug 11oz", "084000099901", 12.00)]
        for (i, c) in catalogue.enumerated() {
            let isSeedShirt = c.0 == "TShirtBlueM"
            let productId = isSeedShirt ? 4725516 : 4725400 + i
            let inventoryId = isSeedShirt ? 5264253 : 5264100 + i
            products.append(ShipBobShapes.product(id: productId, variantId: 8800100 + i, inventoryId: inventoryId, sku: c.0,
                                                  name: c.1, barcode: c.2, value: c.3, created: "2026-05-04T16:20:00+00:00"))
            let itemIndex = items.firstIndex { $0.shipBobSku == c.0 }
            levels[inventoryId] = Dictionary(uniqueKeysWithValues: mirroredWarehouse.map { fc, wh in
                var onHand = 0
                if let itemIndex {
                    onHand = sysproOnHand(item: itemIndex, warehouse: warehouses.firstIndex(of: wh)!)
                    onHand += seededVariances.first { $0.stockCode == items[itemIndex].stockCode && $0.fc == fc }?.delta ?? 0
                } else {
                    onHand = 24  // the mug: ShipBob-only stock
                }
                return (fc, ShipBobStore.Level(onHand: onHand, committed: fc == 10 ? i % 3 : 0, awaiting: fc == 10 && i % 4 == 0 ? 24 : 0))
            })
        }
        var store = ShipBobStore(channels: channels, fulfillmentCenters: fulfillmentCenters, products: products,
                                 levels: levels, orders: [:], receivings: [], nextOrderId: 15949300,
                                 nextShipmentId: 101199800, nextProductId: 4725600)
        for o in orders(store) { store.orders[o["id"]!.int64.map(Int.init)!] = o }
        let fc10 = (id: 10, name: "Moreno Valley (CA)"), fc17 = (id: 17, name: "Grapevine 2 (TX)")
        func inv(_ sku: String) -> Int { Int(store.product(sku: sku)!["variants"]!.array![0]["inventory"]!["inventory_id"]!.int64!) }
        store.receivings = [
            ShipBobShapes.receiving(id: 880101, status: "Completed", fc: fc10, purchaseOrder: "P00871",
                                    expectedArrival: "2026-08-02T15:00:00+00:00", lastUpdated: "2026-08-04T18:12:40+00:00",
                                    externalSync: false,
                                    items: [("TShirtBlueM", inv("TShirtBlueM"), 48, 48), ("TS-BLU-L", inv("TS-BLU-L"), 24, 24)]),
            ShipBobShapes.receiving(id: 880102, status: "Awaiting", fc: fc17, purchaseOrder: "P00872",
                                    expectedArrival: "2026-08-10T15:00:00+00:00", lastUpdated: "2026-08-03T09:30:00+00:00",
                                    externalSync: false, items: [("JN-SLM-IND-32", inv("JN-SLM-IND-32"), 60, 0)]),
            ShipBobShapes.receiving(id: 880100, status: "Completed", fc: fc10, purchaseOrder: "P00860",
                                    expectedArrival: "2026-07-20T15:00:00+00:00", lastUpdated: "2026-07-22T11:05:00+00:00",
                                    externalSync: true, items: [("HD-GRY-M", inv("HD-GRY-M"), 36, 36)]),
        ]
        // ShipBob has counted what the WROs not yet synced stowed; SYSPRO has not been told.
        for r in store.receivings where r["external_sync_timestamp"]?.isNull ?? true {
            guard let fc = r["fulfillment_center"]?["id"]?.int64.map(Int.init) else { continue }
            for q in r["inventory_quantities"]?.array ?? [] {
                guard let id = q["inventory_id"]?.int64.map(Int.init), let n = q["stowed_quantity"]?.int64 else { continue }
                store.levels[id, default: [:]][fc, default: .init(onHand: 0, committed: 0, awaiting: 0)].onHand += Int(n)
            }
        }
        return store
    }

    private static func orders(_ store: ShipBobStore) -> [JSONValue] {
        typealias R = ShipBobShapes.Recipient
        let wayne = R(name: "John Doe co Wayne Enterprises", address1: "123 Main St", address2: "Suite 100",
                      company: "Wayne Enterprises", city: "Anytown", state: "NY", zip: "12345",
                      email: "john.doe@example.com", phone: "123-456-7890")
        let people = [
            R(name: "Maya Patel", address1: "48 Larkin St", city: "San Francisco", state: "CA", zip: "94102", email: "maya.patel@example.com", phone: "415-555-0181"),
            R(name: "Ethan Brooks", address1: "2210 Elm St", address2: "Apt 4", city: "Dallas", state: "TX", zip: "75201", email: "ethan.brooks@example.com", phone: "214-555-0112"),
            R(name: "Sofia Romero", address1: "901 W Monroe St", city: "Chicago", state: "IL", zip: "60607", email: "sofia.romero@example.com", phone: "312-555-0155"),
            R(name: "Liam O'Connor", address1: "17 Beacon St", city: "Boston", state: "MA", zip: "02108", email: "liam.oconnor@example.com", phone: "617-555-0123"),
            R(name: "Chloé Martin", address1: "350 5th Ave", address2: "Fl 21", company: "Atelier Martin", city: "New York", state: "NY", zip: "10118", email: "chloe.martin@example.com", phone: "646-555-0199"),
        ]
        let ch = { (id: Int) in store.channel(id: id)! }
        let fc10 = (id: 10, name: "Moreno Valley (CA)"), fc17 = (id: 17, name: "Grapevine 2 (TX)"), fc28 = (id: 28, name: "Bethlehem (PA)")
        func lines(_ l: [(String, Int)]) -> [(product: JSONValue?, line: ShipBobShapes.Line)] {
            l.map { sku, q in
                let p = store.product(sku: sku)
                return (p, ShipBobShapes.Line(sku: sku, quantity: q, unitPrice: p?["variants"]?.array?.first?["customs"]?["value"]?.double ?? 0))
            }
        }
        struct Spec {
            let id: Int, ref: String, channel: Int, created: String, status: String, recipient: Int
            let items: [(String, Int)]
            let shipments: [(id: Int, status: String, fc: (id: Int, name: String), updated: String?, tracking: ShipBobShapes.Tracking?, details: [JSONValue], split: [(String, Int)]?)]
        }
        let usps = { (n: String) in ShipBobShapes.Tracking(carrier: "OSMWorldwide", number: n, service: "ParcelSelect") }
        let ups = { (n: String) in ShipBobShapes.Tracking(carrier: "UPS", number: n, service: "Ground") }
        let outOfStock: JSONValue = ["name": "OutOfStock", "description": "No Stock On Hand For Sku", "id": 303,
                                     "inventory_id": 5264253, "exception_fulfillment_center_id": 17, "extra_information": nil]
        let onHold: JSONValue = ["name": "InvalidAddress", "description": "Address could not be validated", "id": 402,
                                 "inventory_id": nil, "exception_fulfillment_center_id": nil, "extra_information": nil]
        let delivered: JSONValue = ["name": "Delivered", "description": "Shipment Delivered", "id": 203,
                                    "inventory_id": nil, "exception_fulfillment_center_id": nil, "extra_information": nil]
        let specs: [Spec] = [
            // The three orders of seed file 003, with the demo catalogue's prices.
            Spec(id: 15949208, ref: "ORD-12348", channel: 55176, created: "2026-08-03T10:25:53.900+00:00", status: "Fulfilled", recipient: -1,
                 items: [("TShirtBlueM", 4)],
                 shipments: [(101199713, "LabeledCreated", fc10, "2026-08-03T11:17:07.122+00:00", usps("9261290306529427911297"), [], nil)]),
            Spec(id: 15948959, ref: "ORD-12347", channel: 55176, created: "2026-08-03T10:04:44.441+00:00", status: "Fulfilled", recipient: -1,
                 items: [("TS-WHT-M", 2), ("JN-SLM-IND-32", 1)],
                 shipments: [(101199464, "Completed", fc10, "2026-08-05T12:11:18.051+00:00", usps("9261290306529427911280"), [delivered], nil)]),
            Spec(id: 15947699, ref: "ORD-1234", channel: 55176, created: "2026-08-03T05:50:26.945+00:00", status: "Processing", recipient: -1,
                 items: [("TShirtBlueM", 1)],
                 shipments: [(101198202, "OnHold", fc17, "2026-08-03T06:02:11.000+00:00", nil, [onHold], nil)]),
            Spec(id: 15949210, ref: "#1042", channel: 55176, created: "2026-08-04T08:12:00.000+00:00", status: "Processing", recipient: 0,
                 items: [("DR-SUN-RED-M", 1), ("AC-CAP-NAV", 1)],
                 shipments: [(101199720, "Processing", fc10, "2026-08-04T08:12:00.000+00:00", nil, [], nil)]),
            Spec(id: 15949211, ref: "#1043", channel: 55176, created: "2026-08-04T09:40:00.000+00:00", status: "Fulfilled", recipient: 1,
                 items: [("HD-GRY-L", 1), ("TS-BLK-L", 2)],
                 shipments: [(101199721, "LabeledCreated", fc17, "2026-08-04T15:02:00.000+00:00", ups("1Z999AA10123456784"), [], nil)]),
            Spec(id: 15949212, ref: "#1044", channel: 55176, created: "2026-08-04T11:05:00.000+00:00", status: "PartiallyFulfilled", recipient: 4,
                 items: [("DR-WRP-NAV-S", 1), ("JN-STR-BLK-30", 1)],
                 shipments: [(101199722, "LabeledCreated", fc10, "2026-08-04T18:30:00.000+00:00", usps("9261290306529427911303"), [], [("DR-WRP-NAV-S", 1)]),
                             (101199723, "Processing", fc28, "2026-08-04T11:05:00.000+00:00", nil, [], [("JN-STR-BLK-30", 1)])]),
            // The web-only mug is unknown to SYSPRO: this order must land in attention.
            Spec(id: 15949213, ref: "#1045", channel: 55176, created: "2026-08-04T12:45:00.000+00:00", status: "Processing", recipient: 2,
                 items: [("TS-WHT-S", 1), (shipBobOnlySku, 2)],
                 shipments: [(101199724, "Processing", fc10, "2026-08-04T12:45:00.000+00:00", nil, [], nil)]),
            Spec(id: 15949214, ref: "112-4455667-1234567", channel: 55177, created: "2026-08-04T13:10:00.000+00:00", status: "Fulfilled", recipient: 3,
                 items: [("JN-SLM-IND-34", 1)],
                 shipments: [(101199725, "LabeledCreated", fc28, "2026-08-04T20:44:00.000+00:00", ups("1Z999AA10123456791"), [], nil)]),
            Spec(id: 15949215, ref: "112-9081726-5544332", channel: 55177, created: "2026-08-04T14:22:00.000+00:00", status: "Exception", recipient: 1,
                 items: [("TShirtBlueM", 3)],
                 shipments: [(101199726, "Exception", fc17, "2026-08-04T16:00:00.000+00:00", nil, [outOfStock], nil)]),
            Spec(id: 15949216, ref: "112-3344556-7788990", channel: 55177, created: "2026-08-04T15:35:00.000+00:00", status: "Cancelled", recipient: 0,
                 items: [("TS-BLU-S", 2)],
                 shipments: [(101199727, "Cancelled", fc10, "2026-08-04T17:20:00.000+00:00", nil, [], nil)]),
            Spec(id: 15949217, ref: "POS-000318", channel: 55178, created: "2026-08-05T10:00:00.000+00:00", status: "Processing", recipient: 2,
                 items: [("AC-BELT-BRN-M", 1)],
                 shipments: [(101199728, "Processing", fc10, "2026-08-05T10:00:00.000+00:00", nil, [], nil)]),
            Spec(id: 15949218, ref: "#1046", channel: 55176, created: "2026-08-05T11:30:00.000+00:00", status: "Processing", recipient: 4,
                 items: [("TS-BLU-XL", 1), ("TS-WHT-XL", 1), ("HD-GRY-XL", 1)],
                 shipments: [(101199729, "Processing", fc28, "2026-08-05T11:30:00.000+00:00", nil, [], nil)]),
        ]
        return specs.map { s in
            let recipient = s.recipient < 0 ? wayne : people[s.recipient]
            let shipments = s.shipments.map { sh in
                ShipBobShapes.shipment(id: sh.id, orderId: s.id, referenceId: s.ref, recipient: recipient, created: s.created,
                                       lastUpdate: sh.updated, status: sh.status, statusDetails: sh.details, location: sh.fc,
                                       tracking: sh.tracking, items: lines(sh.split ?? s.items),
                                       delivered: sh.status == "Completed" ? sh.updated : nil)
            }
            return ShipBobShapes.order(id: s.id, referenceId: s.ref, orderNumber: s.ref, channel: ch(s.channel),
                                       created: s.created, status: s.status, recipient: recipient, lines: lines(s.items),
                                       shipments: shipments)
        }
    }
}
