import ConnectorKit
import ShipBob
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// A SYSPRO warehouse and stock code: where the two systems' counts meet.
public struct LevelKey: Hashable, Sendable, Comparable {
    public var warehouse: String
    public var stockCode: String
    public init(warehouse: String, stockCode: String) { self.warehouse = warehouse; self.stockCode = stockCode }
    public static func < (a: LevelKey, b: LevelKey) -> Bool { (a.warehouse, a.stockCode) < (b.warehouse, b.stockCode) }
}

/// Stock one system has counted and the other has not been told about yet. Left out, each
/// would show as a difference and, with ShipBob as master, be adjusted and then counted a
/// second time when the movement itself reaches SYSPRO.
public struct InFlight: Sendable {
    /// Received by ShipBob (a WRO), not yet posted to SYSPRO as a receipt.
    public var receipts: [LevelKey: Double] = [:]
    /// Shipped by ShipBob, not yet relieved in SYSPRO (its sales order is not yet complete).
    public var shipments: [LevelKey: Double] = [:]
    /// Movements whose state is unknown (a post interrupted before SYSPRO answered): the
    /// level cannot be judged until the next run resolves them.
    public var uncertain: Set<LevelKey> = []
    public init() {}
}

public struct VarianceLine: Codable, Sendable, Equatable {
    public var warehouse: String
    public var locationId: Int64
    public var stockCode: String
    public var sku: String
    public var sysproOnHand: Double
    public var inFlightReceipts: Double
    public var inFlightShipments: Double
    /// What ShipBob should hold if both systems agree: SYSPRO's count plus receipts it has
    /// not been told about, minus shipments it has not relieved.
    public var sysproExpected: Double
    public var shipbobOnHand: Double
    /// ShipBob minus expected: positive means ShipBob holds more.
    public var difference: Double
    /// What was done: "reported", "adjusted" (INVTMA journal) or why nothing was.
    public var action: String

    public init(warehouse: String, locationId: Int64, stockCode: String, sku: String, sysproOnHand: Double, inFlightReceipts: Double,
                inFlightShipments: Double, sysproExpected: Double, shipbobOnHand: Double, difference: Double, action: String) {
        self.warehouse = warehouse; self.locationId = locationId; self.stockCode = stockCode; self.sku = sku
        self.sysproOnHand = sysproOnHand; self.inFlightReceipts = inFlightReceipts; self.inFlightShipments = inFlightShipments
        self.sysproExpected = sysproExpected; self.shipbobOnHand = shipbobOnHand; self.difference = difference; self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case warehouse, locationId = "location_id", stockCode = "stock_code", sku
        case sysproOnHand = "syspro_on_hand", inFlightReceipts = "in_flight_receipts", inFlightShipments = "in_flight_shipments"
        case sysproExpected = "syspro_expected", shipbobOnHand = "shipbob_on_hand", difference, action
    }
}

/// A SKU one system has and the other lacks, at a compared location.
public struct OneSidedItem: Codable, Sendable, Equatable {
    public enum Side: String, Codable, Sendable { case shipbobOnly = "shipbob-only", sysproOnly = "syspro-only" }
    public var side: Side
    public var warehouse: String
    public var stockCode: String
    public var sku: String
    public var quantity: Double

    enum CodingKeys: String, CodingKey { case side, warehouse, stockCode = "stock_code", sku, quantity }
}

public struct VarianceReport: Codable, Sendable {
    public var generated: Date
    public var compared: Int
    public var tolerance: Double
    public var differences: [VarianceLine]
    public var oneSided: [OneSidedItem]
    /// Levels left out this run because a movement into them is unresolved.
    public var skipped: [String]

    enum CodingKeys: String, CodingKey { case generated, compared, tolerance, differences, oneSided = "one_sided", skipped }
}

/// Compares ShipBob's on-hand per fulfillment center with SYSPRO's on-hand in the
/// warehouse mapped to it (`mappings.location_warehouses`), after in-flight movements.
public struct VarianceCheck: Sendable {
    public let locationWarehouses: [Int64: String]
    public let tolerance: Double
    public let stockCodeForSku: @Sendable (String) -> String

    public init(config: TenantConfig) {
        var map: [Int64: String] = [:]
        for (fc, wh) in config.mappings.locationWarehouses { if let id = Int64(fc) { map[id] = wh } }
        locationWarehouses = map
        tolerance = config.inventory.varianceTolerance
        let skus = config.mappings.skuStockCodes
        stockCodeForSku = { skus[$0] ?? $0 }
    }

    public var warehouses: [String] { Array(Set(locationWarehouses.values)).sorted() }

    /// `syspro`: QtyOnHand per (warehouse, stock code) for the mapped warehouses.
    public func compare(syspro: [LevelKey: Double], shipbob: [ShipBobLocationLevel], inFlight: InFlight,
                        now: Date = Date()) -> VarianceReport {
        // ShipBob's count per level; an item listed without a location counts 0 there.
        var counted: [LevelKey: (Double, Int64, String)] = [:]
        var shipbobCodes = Set<String>()
        for l in shipbob {
            let code = stockCodeForSku(l.sku)
            shipbobCodes.insert(code)
            guard let wh = locationWarehouses[l.locationId] else { continue }
            counted[LevelKey(warehouse: wh, stockCode: code), default: (0, l.locationId, l.sku)].0 += Double(l.onHand)
        }
        let locationOf = Dictionary(locationWarehouses.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        var lines: [VarianceLine] = []
        var oneSided: [OneSidedItem] = []
        var skipped: [String] = []
        var compared = 0
        let sysproCodes = Set(syspro.keys.map(\.stockCode))
        for key in Set(counted.keys).union(syspro.keys).sorted() {
            let shipbobSide = counted[key]
            let sysproSide = syspro[key]
            if shipbobSide == nil && !shipbobCodes.contains(key.stockCode) {
                if let q = sysproSide, q != 0 {
                    oneSided.append(OneSidedItem(side: .sysproOnly, warehouse: key.warehouse, stockCode: key.stockCode,
                                                 sku: key.stockCode, quantity: q))
                }
                continue
            }
            if sysproSide == nil && !sysproCodes.contains(key.stockCode) {
                if let (q, _, sku) = shipbobSide, q != 0 {
                    oneSided.append(OneSidedItem(side: .shipbobOnly, warehouse: key.warehouse, stockCode: key.stockCode, sku: sku, quantity: q))
                }
                continue
            }
            if inFlight.uncertain.contains(key) { skipped.append("\(key.warehouse)/\(key.stockCode)"); continue }
            compared += 1
            let onHand = sysproSide ?? 0
            let receipts = inFlight.receipts[key] ?? 0, shipments = inFlight.shipments[key] ?? 0
            let expected = onHand + receipts - shipments
            let theirs = shipbobSide?.0 ?? 0
            let difference = theirs - expected
            guard abs(difference) > tolerance else { continue }
            lines.append(VarianceLine(
                warehouse: key.warehouse, locationId: shipbobSide?.1 ?? locationOf[key.warehouse] ?? 0, stockCode: key.stockCode,
                sku: shipbobSide?.2 ?? key.stockCode, sysproOnHand: onHand, inFlightReceipts: receipts, inFlightShipments: shipments,
                sysproExpected: expected, shipbobOnHand: theirs, difference: difference, action: "reported"))
        }
        return VarianceReport(generated: now, compared: compared, tolerance: tolerance, differences: lines, oneSided: oneSided, skipped: skipped)
    }
}
