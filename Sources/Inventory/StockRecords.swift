import ConnectorKit
import Syspro
import WebhookCore

/// A SYSPRO record the inventory jobs keep in state and print as JSON Lines. Encoded and
/// decoded by hand (JSONObjectWriter, JSONValue): a first poll moves 100,000 of them, and
/// Codable's generic machinery cost more than the rest of the poll together.
public protocol StockRecord: JSONRecord {
    /// Unique within its store: stock code, or stock code and warehouse.
    var key: String { get }
    var rowversion: RowVersion { get }
    /// The line printed when a keyed read finds the row deleted in SYSPRO: the record's
    /// kind and key columns with `"vanished":true` (push-shipbob-inventory --stdin takes
    /// its stock_code like any other line).
    func appendVanishedJSON(to out: inout [UInt8])
}

/// Required fields of a stored record, each missing one named with its file. The few
/// fields are walked, not hashed: a push loads 100,000 records at start.
struct StoredFields {
    private let fields: [String: JSONValue]
    let source: String

    init(json: JSONValue, source: String) {
        fields = json.object ?? [:]
        self.source = source
    }

    subscript(key: String) -> JSONValue? {
        let length = key.utf8.count
        for (k, v) in fields where k.utf8.count == length && k == key { return v }
        return nil
    }

    func string(_ key: String) throws -> String {
        guard let s = self[key]?.string else { throw DataError(source: source, problem: "a record lacks \"\(key)\"") }
        return s
    }
    func number(_ key: String) throws -> Double {
        guard let n = self[key]?.double else { throw DataError(source: source, problem: "a record's \"\(key)\" is not a number") }
        return n
    }
    func rowversion() throws -> RowVersion {
        guard let rv = self["rowversion"].flatMap(RowVersion.init(json:)) else {
            throw DataError(source: source, problem: "a record's \"rowversion\" is not a rowversion")
        }
        return rv
    }
}

/// One SYSPRO level (InvWarehouse row): in state, on stdout, on the stdin of
/// `push-shipbob-inventory`.
public struct StockLevel: StockRecord, Equatable {
    public var stockCode: String
    public var warehouse: String
    public var qtyOnHand: Double
    public var qtyAllocated: Double
    public var qtyOnOrder: Double
    public var qtyInTransit: Double
    public var rowversion: RowVersion
    /// `StockCode|Warehouse`, made once: stores look every record up by it.
    public let key: String

    /// Same stock, whatever the rowversion: a row re-read in the overlap is not a change.
    public func sameQuantities(_ other: StockLevel) -> Bool {
        qtyOnHand == other.qtyOnHand && qtyAllocated == other.qtyAllocated
            && qtyOnOrder == other.qtyOnOrder && qtyInTransit == other.qtyInTransit
    }

    /// One pass over the row's fields instead of a hashed lookup per column: this runs
    /// for every row a poll reads.
    public init(row: JSONValue, source: String) throws {
        var code: String?, warehouse: String?, stamp: JSONValue?
        var onHand: JSONValue?, allocated: JSONValue?, onOrder: JSONValue?, inTransit: JSONValue?
        for (name, value) in row.object ?? [:] {
            switch name {
            case "StockCode": code = value.string?.trimmed
            case "Warehouse": warehouse = value.string?.trimmed
            case "TimeStamp": stamp = value
            case "QtyOnHand": onHand = value
            case "QtyAllocated": allocated = value
            case "QtyOnOrder": onOrder = value
            case "QtyInTransit": inTransit = value
            default: continue
            }
        }
        guard let code, !code.isEmpty, let warehouse, !warehouse.isEmpty else {
            throw DataError(source: source, problem: "row without StockCode or Warehouse")
        }
        guard let rv = stamp.flatMap(RowVersion.init(json:)) else {
            throw DataError(source: source, problem: "row \(code)/\(warehouse) has no readable TimeStamp rowversion")
        }
        func qty(_ field: JSONValue?, _ name: String) throws -> Double {
            guard let field, !field.isNull else { return 0 }
            guard let v = field.double else { throw DataError(source: source, problem: "row \(code)/\(warehouse): \(name) is not a number") }
            return v
        }
        stockCode = code; self.warehouse = warehouse; rowversion = rv
        key = "\(code)|\(warehouse)"
        qtyOnHand = try qty(onHand, "QtyOnHand"); qtyAllocated = try qty(allocated, "QtyAllocated")
        qtyOnOrder = try qty(onOrder, "QtyOnOrder"); qtyInTransit = try qty(inTransit, "QtyInTransit")
    }

    public init(json: JSONValue, source: String) throws {
        let f = StoredFields(json: json, source: source)
        stockCode = try f.string("stock_code"); warehouse = try f.string("warehouse")
        qtyOnHand = try f.number("qty_on_hand"); qtyAllocated = try f.number("qty_allocated")
        qtyOnOrder = try f.number("qty_on_order"); qtyInTransit = try f.number("qty_in_transit")
        rowversion = try f.rowversion()
        key = "\(stockCode)|\(warehouse)"
    }

    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendJSON(to: &out); return out }

    public func appendJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("kind", "level")
        w.field("qty_allocated", number: qtyAllocated)
        w.field("qty_in_transit", number: qtyInTransit)
        w.field("qty_on_hand", number: qtyOnHand)
        w.field("qty_on_order", number: qtyOnOrder)
        w.field("rowversion") { rowversion.appendQuotedHex(to: &$0) }
        w.field("stock_code", stockCode)
        w.field("warehouse", warehouse)
        w.finish(into: &out)
    }

    public func appendVanishedJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("kind", "level")
        w.field("stock_code", stockCode)
        w.field("vanished", raw: Array("true".utf8))
        w.field("warehouse", warehouse)
        w.finish(into: &out)
    }
}

/// One InvPrice row at the configured price code.
public struct StockPrice: StockRecord, Equatable {
    public var stockCode: String
    public var priceCode: String
    public var sellingPrice: Double
    public var rowversion: RowVersion

    public var key: String { stockCode }

    public init(row: JSONValue, source: String) throws {
        let row = StoredFields(json: row, source: source)
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

    public init(json: JSONValue, source: String) throws {
        let f = StoredFields(json: json, source: source)
        stockCode = try f.string("stock_code"); priceCode = try f.string("price_code")
        sellingPrice = try f.number("selling_price"); rowversion = try f.rowversion()
    }

    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendJSON(to: &out); return out }

    public func appendJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("kind", "price")
        w.field("price_code", priceCode)
        w.field("rowversion") { rowversion.appendQuotedHex(to: &$0) }
        w.field("selling_price", number: sellingPrice)
        w.field("stock_code", stockCode)
        w.finish(into: &out)
    }

    public func appendVanishedJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("kind", "price")
        w.field("price_code", priceCode)
        w.field("stock_code", stockCode)
        w.field("vanished", raw: Array("true".utf8))
        w.finish(into: &out)
    }
}

/// One InvMaster row: what a ShipBob product is made from. SYSPRO has no barcode
/// column; sites keep the UPC in a column the config names (`inventory.barcode_field`).
public struct StockItem: StockRecord, Equatable {
    public var stockCode: String
    public var description: String
    public var barcode: String?
    public var productClass: String?
    public var rowversion: RowVersion

    public var key: String { stockCode }

    public func sameProduct(_ other: StockItem) -> Bool {
        description == other.description && barcode == other.barcode && productClass == other.productClass
    }

    public init(row: JSONValue, barcodeField: String, source: String) throws {
        let row = StoredFields(json: row, source: source)
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

    public init(json: JSONValue, source: String) throws {
        let f = StoredFields(json: json, source: source)
        stockCode = try f.string("stock_code"); description = try f.string("description")
        barcode = f["barcode"]?.string; productClass = f["product_class"]?.string
        rowversion = try f.rowversion()
    }

    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendJSON(to: &out); return out }

    public func appendJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("barcode", barcode)
        w.field("description", description)
        w.field("kind", "item")
        w.field("product_class", productClass)
        w.field("rowversion") { rowversion.appendQuotedHex(to: &$0) }
        w.field("stock_code", stockCode)
        w.finish(into: &out)
    }

    public func appendVanishedJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("kind", "item")
        w.field("stock_code", stockCode)
        w.field("vanished", raw: Array("true".utf8))
        w.finish(into: &out)
    }
}

/// Where the poll stands, per entity set: the highest rowversion fully stored.
public struct PollCursor: Codable, Sendable, Equatable {
    public var levels: RowVersion?
    public var prices: RowVersion?
    public var items: RowVersion?

    public init() {}
}
