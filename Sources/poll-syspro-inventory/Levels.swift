import ConnectorKit
import Syspro

/// One SYSPRO level as the inventory jobs exchange it: in state, on stdout (JSON Lines),
/// on the stdin of `push-shipbob-inventory`.
struct StockLevel: Codable, Equatable, Sendable {
    var kind = "level"
    var stockCode: String
    var warehouse: String
    var qtyOnHand: Double
    var qtyAllocated: Double
    var qtyOnOrder: Double
    var qtyInTransit: Double
    var rowversion: RowVersion

    enum CodingKeys: String, CodingKey {
        case kind, stockCode = "stock_code", warehouse, qtyOnHand = "qty_on_hand", qtyAllocated = "qty_allocated"
        case qtyOnOrder = "qty_on_order", qtyInTransit = "qty_in_transit", rowversion
    }

    var key: String { "\(stockCode)|\(warehouse)" }

    /// Same stock, whatever the rowversion: a row re-read in the overlap is not a change.
    func sameQuantities(_ other: StockLevel) -> Bool {
        qtyOnHand == other.qtyOnHand && qtyAllocated == other.qtyAllocated
            && qtyOnOrder == other.qtyOnOrder && qtyInTransit == other.qtyInTransit
    }

    init(row: JSONValue, source: String) throws {
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
struct StockPrice: Codable, Equatable, Sendable {
    var kind = "price"
    var stockCode: String
    var priceCode: String
    var sellingPrice: Double
    var rowversion: RowVersion

    enum CodingKeys: String, CodingKey {
        case kind, stockCode = "stock_code", priceCode = "price_code", sellingPrice = "selling_price", rowversion
    }

    var key: String { stockCode }

    init(row: JSONValue, source: String) throws {
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

/// Where the poll stands, per entity set: the highest rowversion fully stored.
struct PollCursor: Codable, Sendable, Equatable {
    var levels: RowVersion?
    var prices: RowVersion?
}
