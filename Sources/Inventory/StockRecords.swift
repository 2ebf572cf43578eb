import ConnectorKit
import Syspro

/// One SYSPRO level as the inventory jobs exchange it: in state, on stdout (JSON Lines),
/// on the stdin of `push-shipbob-inventory`.
public struct StockLevel: Codable, Equatable, Sendable {
    public var kind = "level"
    public var stockCode: String
    public var warehouse: String
    public var qtyOnHand: Double
    public var qtyAllocated: Double
    public var qtyOnOrder: Double
    public var qtyInTransit: Double
    public var rowversion: RowVersion

    enum CodingKeys: String, CodingKey {
        case kind, stockCode = "stock_code", warehouse, qtyOnHand = "qty_on_hand", qtyAllocated = "qty_allocated"
        case qtyOnOrder = "qty_on_order", qtyInTransit = "qty_in_transit", rowversion
    }

    public var key: String { "\(stockCode)|\(warehouse)" }

    /// Same stock, whatever the rowversion: a row re-read in the overlap is not a change.
    public func sameQuantities(_ other: StockLevel) -> Bool {
        qtyOnHand == other.qtyOnHand && qtyAllocated == other.qtyAllocated
            && qtyOnOrder == other.qtyOnOrder && qtyInTransit == other.qtyInTransit
    }

    public init(row: JSONValue, source: String) throws {
        guard let code = row["StockCode"]?.string?.trimmed, !code.isEmpty,
              let warehouse = row["Warehouse"]?.string?.trimmed, !warehouse.isEmpty else {
            throw DataError(source: source, problem: "row without StockCode or Warehouse")
        }
        guard let rv = row["TimeStamp"].flatMap(RowVersion.init(json:)) else {
            throw DataError(source: source, problem: "row \(code)/\(warehouse) has no readable TimeStamp rowversion")
        }
        func qty(_ name: String) throws -> Double {
            guard let field = row[name], !field.isNull else { return 0 }
            guard let v = field.double else { throw DataError(source: source, problem: "row \(code)/\(warehouse): \(name) is not a number") }
            return v
        }
        stockCode = code; self.warehouse = warehouse; rowversion = rv
        qtyOnHand = try qty("QtyOnHand"); qtyAllocated = try qty("QtyAllocated")
        qtyOnOrder = try qty("QtyOnOrder"); qtyInTransit = try qty("QtyInTransit")
    }
}

/// One InvPrice row at the configured price code.
public struct StockPrice: Codable, Equatable, Sendable {
    public var kind = "price"
    public var stockCode: String
    public var priceCode: String
    public var sellingPrice: Double
    public var rowversion: RowVersion

    enum CodingKeys: String, CodingKey {
        case kind, stockCode = "stock_code", priceCode = "price_code", sellingPrice = "selling_price", rowversion
    }

    public var key: String { stockCode }

    public init(row: JSONValue, source: String) throws {
        guard let code = row["StockCode"]?.string?.trimmed, !code.isEmpty else {
            throw DataError(source: source, problem: "row without StockCode")
        }
        guard let rv = row["TimeStamp"].flatMap(RowVersion.init(json:)) else {
            throw DataError(source: source, problem: "row \(code) has no readable TimeStamp rowversion")
        }
        guard let price = row["SellingPrice"]?.double else {
            throw DataError(source: source, problem: "row \(code): SellingPrice is not a number")
        }
        stockCode = code; priceCode = row["PriceCode"]?.string?.trimmed ?? ""; sellingPrice = price; rowversion = rv
    }
}

/// One InvMaster row: what a ShipBob product is made from. SYSPRO has no barcode
/// column; sites keep the UPC in a column the config names (`inventory.barcode_field`).
public struct StockItem: Codable, Equatable, Sendable {
    public var kind = "item"
    public var stockCode: String
    public var description: String
    public var barcode: String?
    public var productClass: String?
    public var rowversion: RowVersion

    enum CodingKeys: String, CodingKey {
        case kind, stockCode = "stock_code", description, barcode, productClass = "product_class", rowversion
    }

    public var key: String { stockCode }

    public func sameProduct(_ other: StockItem) -> Bool {
        description == other.description && barcode == other.barcode && productClass == other.productClass
    }

    public init(row: JSONValue, barcodeField: String, source: String) throws {
        guard let code = row["StockCode"]?.string?.trimmed, !code.isEmpty else {
            throw DataError(source: source, problem: "row without StockCode")
        }
        guard let rv = row["TimeStamp"].flatMap(RowVersion.init(json:)) else {
            throw DataError(source: source, problem: "row \(code) has no readable TimeStamp rowversion")
        }
        stockCode = code; rowversion = rv
        description = row["Description"]?.string?.trimmed ?? ""
        barcode = row[barcodeField]?.string?.trimmed.nilIfEmpty
        productClass = row["ProductClass"]?.string?.trimmed.nilIfEmpty
    }
}

extension StockItem: Keyed {
    public var auditDetail: [String: String] { ["description": description, "rowversion": rowversion.hex] }
}

/// Where the poll stands, per entity set: the highest rowversion fully stored.
public struct PollCursor: Codable, Sendable, Equatable {
    public var levels: RowVersion?
    public var prices: RowVersion?
    public var items: RowVersion?

    public init() {}
}
