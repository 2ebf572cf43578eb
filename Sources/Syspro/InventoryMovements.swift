import ConnectorKit
import ENetXML
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of an INVTMR receipt or INVTMA adjustment: `<Item>` with Warehouse, StockCode,
/// Quantity, UnitOfMeasure, Lot, a bin, Reference, Notation (docs/vendors/syspro.md,
/// "INVTMR and INVTMA documents: bins and lots").
public struct InventoryMovementLine: Sendable, Equatable {
    public var warehouse: String
    public var stockCode: String
    /// Receipts: positive. Adjustments: signed (negative takes stock out).
    public var quantity: Decimal
    /// `nil` lets SYSPRO use the stocking unit.
    public var unitOfMeasure: String?
    /// What the movement is found by afterwards (InvMovements.Reference): make it unique per
    /// post so a crash between post and ledger can be resolved by looking it up.
    public var reference: String
    public var notation: String
    /// The bin, where the warehouse uses multiple bins (SYSPRO refuses the line without one).
    public var binLocation: String?
    /// The lot, for a lot-traceable stock code (SYSPRO refuses the line without one).
    public var lot: String?

    public init(warehouse: String, stockCode: String, quantity: Decimal, unitOfMeasure: String? = nil,
                reference: String, notation: String = "", binLocation: String? = nil, lot: String? = nil) {
        self.warehouse = warehouse; self.stockCode = stockCode; self.quantity = quantity
        self.unitOfMeasure = unitOfMeasure; self.reference = reference; self.notation = notation
        self.binLocation = binLocation; self.lot = lot
    }
}

/// What SYSPRO answered to one INVTMR/INVTMA post, per item in the order sent.
public struct InventoryPostResult: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let stockCode: String
        public let warehouse: String
        public let reference: String
        /// The GL/inventory journal the item was posted in; `nil` when it was not posted.
        public let journal: String?
        /// `Element 'Value' [ErrorNumber]: ErrorDescription`, one per error reported on the item.
        public let errors: [String]
        public init(stockCode: String, warehouse: String, reference: String, journal: String?, errors: [String]) {
            self.stockCode = stockCode; self.warehouse = warehouse; self.reference = reference
            self.journal = journal; self.errors = errors
        }
    }

    public let items: [Item]
    public let itemsProcessed: Int
    public let itemsInvalid: Int
    /// Every error the answer reports, on an item or outside any (same text as `Item.errors`).
    public let errors: [String]

    public init(items: [Item], itemsProcessed: Int, itemsInvalid: Int, errors: [String]? = nil) {
        self.items = items; self.itemsProcessed = itemsProcessed; self.itemsInvalid = itemsInvalid
        self.errors = errors ?? items.flatMap(\.errors)
    }

    /// Read tolerantly (element case may differ, counters are zero-padded). An answer may
    /// carry no StatusOfItems and no journal at all (docs/vendors/syspro.md, "INVTMR and
    /// INVTMA answers"): then the counters are 0 and `outcome` is `.unknown`.
    public init(_ root: XMLElement) {
        items = root.all("Item").map { item in
            InventoryPostResult.Item(stockCode: item.value("StockCode") ?? "", warehouse: item.value("Warehouse") ?? "",
                                     reference: item.value("Reference") ?? "",
                                     journal: item.value("Journal").flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed },
                                     errors: SysproErrorText.collect(item))
        }
        let status = root.first("StatusOfItems")
        func count(_ name: String) -> Int { status?.value(name).flatMap { Int($0.trimmed) } ?? 0 }
        itemsProcessed = count("ItemsProcessed")
        itemsInvalid = count("ItemsInvalid") + count("ItemsRejected")
        errors = SysproErrorText.collect(root)
    }

    /// What the answer proves about a post sent with ApplyIfEntireDocumentValid=Y.
    public enum Outcome: Sendable, Equatable {
        /// Every item carries a journal and nothing reports an error.
        case posted(journal: String)
        /// An error was reported (or items were counted invalid): nothing was posted.
        case refused(errors: [String])
        /// No error and no journal: the answer proves neither. The Reference must be looked
        /// up in InvMovements before anything is posted again, and the ledger kept pending.
        case unknown
    }

    public var outcome: Outcome {
        if !errors.isEmpty || itemsInvalid > 0 {
            return .refused(errors: errors.isEmpty ? ["\(itemsInvalid) item(s) counted invalid, no error text"] : errors)
        }
        if !items.isEmpty, items.allSatisfy({ $0.journal != nil }), let journal = items.first?.journal {
            return .posted(journal: journal)
        }
        return .unknown
    }
}

/// INVTMR (`<PostInvReceipts>`) and INVTMA (`<PostInvAdjustments>`) documents (docs/vendors/syspro.md,
/// SYSPRO). Both share the Item shape; adjustments take a signed quantity.
public enum InventoryMovements {
    public enum Kind: Sendable {
        case receipt, adjustment
        public var businessObject: String { self == .receipt ? "INVTMR" : "INVTMA" }
        public var root: String { self == .receipt ? "PostInvReceipts" : "PostInvAdjustments" }
    }

    /// XmlParameters. ApplyIfEntireDocumentValid=Y: a document with one bad line posts
    /// nothing, so the caller's ledger never has to guess which lines went through.
    /// `physicalCount` (adjustments only) marks the adjustment as a stock-take correction.
    public static func parameters(_ kind: Kind, transactionDate: String, physicalCount: Bool = false) -> String {
        var p = XML.element("TransactionDate", transactionDate)
            + XML.element("IgnoreWarnings", "N")
            + XML.element("ApplyIfEntireDocumentValid", "Y")
            + XML.element("ValidateOnly", "N")
        if kind == .adjustment { p += XML.element("PhysicalCount", physicalCount ? "Y" : "N") }
        return "<\(kind.root)><Parameters>\(p)</Parameters></\(kind.root)>"
    }

    /// XmlIn; refuses lines SYSPRO would refuse or silently cut, before anything is sent.
    /// The bin goes where each business object takes it: INVTMA has `<BinLocation>` on the
    /// item, INVTMR a `<Bins>` block (BinLocation, BinQuantity) per bin (docs/vendors/syspro.md,
    /// "INVTMR and INVTMA documents: bins and lots").
    public static func xmlIn(_ kind: Kind, _ lines: [InventoryMovementLine]) throws -> String {
        guard !lines.isEmpty else { throw DataError(source: "\(kind.businessObject) post", problem: "has no lines") }
        var body = ""
        for line in lines {
            let source = "\(kind.businessObject) line \(line.stockCode) reference \(line.reference)"
            guard !line.stockCode.trimmed.isEmpty, !line.warehouse.trimmed.isEmpty else {
                throw DataError(source: source, problem: "stock code and warehouse are required")
            }
            guard line.reference.count <= SysproFacts.maxMovementReferenceLength else {
                throw DataError(source: source, problem: "reference has \(line.reference.count) characters, SYSPRO takes at most \(SysproFacts.maxMovementReferenceLength)")
            }
            switch kind {
            case .receipt where line.quantity <= 0:
                throw DataError(source: source, problem: "receipt quantity \(line.quantity) is not positive")
            case .adjustment where line.quantity == 0:
                throw DataError(source: source, problem: "adjustment quantity is zero")
            default: break
            }
            body += "<Item>"
                + XML.element("Warehouse", line.warehouse)
                + XML.element("StockCode", line.stockCode)
                + XML.element("Quantity", "\(line.quantity)")
                + (line.unitOfMeasure.map { XML.element("UnitOfMeasure", $0) } ?? "")
                + (kind == .adjustment ? line.binLocation.map { XML.element("BinLocation", $0) } ?? "" : "")
                + (line.lot.map { XML.element("Lot", $0) } ?? "")
                + (kind == .receipt ? line.binLocation.map {
                    "<Bins>" + XML.element("BinLocation", $0) + XML.element("BinQuantity", "\(line.quantity)") + "</Bins>"
                } ?? "" : "")
                + XML.element("Reference", line.reference)
                + (line.notation.isEmpty ? "" : XML.element("Notation", String(line.notation.prefix(SysproFacts.maxNotationLength))))
                + "</Item>"
        }
        return "<\(kind.root)>\(body)</\(kind.root)>"
    }
}

extension SysproClient {
    /// Posts stock receipts (INVTMR). `transactionDate` is `yyyy-MM-dd` in the SYSPRO
    /// server's time zone. Not repeated on a timeout (see `post`): after an ambiguous
    /// failure look the Reference up in InvMovements (`ODataClient.inventoryMovements`).
    public func postInventoryReceipts(_ lines: [InventoryMovementLine], transactionDate: String) throws -> InventoryPostResult {
        try postInventory(.receipt, lines, transactionDate: transactionDate, physicalCount: false)
    }

    /// Posts signed stock adjustments (INVTMA); same contract as `postInventoryReceipts`.
    public func postInventoryAdjustments(_ lines: [InventoryMovementLine], transactionDate: String,
                                         physicalCount: Bool = false) throws -> InventoryPostResult {
        try postInventory(.adjustment, lines, transactionDate: transactionDate, physicalCount: physicalCount)
    }

    private func postInventory(_ kind: InventoryMovements.Kind, _ lines: [InventoryMovementLine], transactionDate: String,
                               physicalCount: Bool) throws -> InventoryPostResult {
        let xmlIn = try InventoryMovements.xmlIn(kind, lines)
        return InventoryPostResult(try post(businessObject: kind.businessObject,
                                            parameters: InventoryMovements.parameters(kind, transactionDate: transactionDate,
                                                                                      physicalCount: physicalCount),
                                            xmlIn: xmlIn))
    }
}

/// One InvMovements row: how a post is proven to have happened.
public struct InvMovementRow: Sendable, Equatable {
    public let stockCode: String
    public let warehouse: String
    public let reference: String
    public let quantity: Double
    public let journal: String

    public init(stockCode: String, warehouse: String, reference: String, quantity: Double, journal: String) {
        self.stockCode = stockCode; self.warehouse = warehouse; self.reference = reference
        self.quantity = quantity; self.journal = journal
    }

    /// One InvMovements row; the texts trimmed (SYSPRO pads them), a missing number as 0.
    init(row: JSONValue) {
        self.init(stockCode: row["StockCode"]?.string?.trimmed ?? "", warehouse: row["Warehouse"]?.string?.trimmed ?? "",
                  reference: row["Reference"]?.string?.trimmed ?? "", quantity: row["TrnQty"]?.double ?? 0,
                  journal: row["Journal"]?.string?.trimmed ?? "")
    }
}

extension ODataClient {
    /// Movements of `stockCode` carrying `reference`: resolves a post whose answer was lost.
    public func inventoryMovements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        let filter = ODataFilter.eq("Reference", reference) + " and " + ODataFilter.eq("StockCode", stockCode)
        return try fetch(entitySet: SysproFacts.EntitySet.invMovements, filter: filter,
                         select: ["StockCode", "Warehouse", "Reference", "TrnQty", "Journal"]).map(InvMovementRow.init(row:))
    }
}
