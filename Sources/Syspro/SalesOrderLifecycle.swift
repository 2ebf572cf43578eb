import ConnectorKit
import ENetXML
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What happens to an imported sales order when ShipBob ships or cancels it, through the
/// documented business objects (docs/vendors/syspro.md, "Shipped orders relieve stock
/// through dispatch notes", "Cancelled orders go through SORTOX"):
/// SORTDN posts one dispatch note per shipment (stock leaves the line's warehouse),
/// SORTNC invoices a dispatch note, SORTOX cancels a whole order.
public enum SalesOrderLifecycle {
    public static let dispatchBusinessObject = "SORTDN"
    public static let invoiceBusinessObject = "SORTNC"
    public static let cancelBusinessObject = "SORTOX"

    /// The ledger (`ledger/order-posts/`) holding one entry per lifecycle post, written
    /// `pending` before the post: `dispatch-<shipment id>` (target: the dispatch note,
    /// detail `lines` = `line:qty,...`), `invoice-<shipment id>` and `cancel-<customer PO>`.
    /// `inventory-variance` reads the dispatch entries to know what SYSPRO has relieved.
    public static let ledgerName = "order-posts"
    public static func dispatchKey(shipmentID: Int64) -> String { "dispatch-\(shipmentID)" }
    public static func invoiceKey(shipmentID: Int64) -> String { "invoice-\(shipmentID)" }
    public static func cancelKey(customerPo: String) -> String { "cancel-\(customerPo)" }

    /// One sales order line and the quantity a shipment took of it.
    public struct DispatchLine: Sendable, Equatable {
        public var salesOrderLine: Int
        public var quantity: Decimal
        public init(salesOrderLine: Int, quantity: Decimal) { self.salesOrderLine = salesOrderLine; self.quantity = quantity }
    }

    /// `<PostDispatchNotes><Parameters>`: ValidateOnly=N (the class default, sent anyway);
    /// BasisForDispatch is left at its default.
    public static func dispatchParameters(ignoreWarnings: String) -> String {
        "<PostDispatchNotes><Parameters>" + XML.element("ValidateOnly", "N") + XML.element("IgnoreWarnings", ignoreWarnings)
            + "</Parameters></PostDispatchNotes>"
    }

    /// One `<DispatchNote>`: the header names the order, carries our reference (to find the
    /// note again) and the tracking as dispatch comments; one MerchandiseLine per line.
    public static func dispatchXmlIn(salesOrder: String, reference: String, comments: [String], lines: [DispatchLine]) throws -> String {
        guard !lines.isEmpty, lines.allSatisfy({ $0.quantity > 0 }) else {
            throw DataError(source: "SORTDN for sales order \(salesOrder)", problem: "a dispatch note needs lines with positive quantities")
        }
        guard reference.count <= 30 else {
            throw DataError(source: "SORTDN for sales order \(salesOrder)", problem: "reference \(reference) is longer than 30 characters")
        }
        var header = XML.element("SalesOrder", salesOrder) + XML.element(SysproFacts.dispatchReferenceField, reference)
        for c in comments where !c.trimmed.isEmpty { header += XML.element("DispatchComments", String(c.prefix(50))) }
        let details = lines.map {
            "<MerchandiseLine>" + XML.element("SalesOrderLine", String($0.salesOrderLine))
                + XML.element("DispatchQty", "\($0.quantity)") + "</MerchandiseLine>"
        }.joined()
        return "<PostDispatchNotes><DispatchNote><DispatchHeader>\(header)</DispatchHeader><DispatchDetails>\(details)</DispatchDetails></DispatchNote></PostDispatchNotes>"
    }

    /// `<PostDispatchInvoice><Parameters>`: current posting period, ValidateOnly=N.
    public static func invoiceParameters(ignoreWarnings: String) -> String {
        "<PostDispatchInvoice><Parameters>" + XML.element("PostingPeriod", "C") + XML.element("IgnoreWarnings", ignoreWarnings)
            + XML.element("ValidateOnly", "N") + "</Parameters></PostDispatchInvoice>"
    }

    public static func invoiceXmlIn(dispatchNote: String) -> String {
        "<PostDispatchInvoice><Item>" + XML.element("DispatchNote", dispatchNote) + "</Item></PostDispatchInvoice>"
    }

    /// `<PostSalesOrderCancel><Parameters>`: ValidateOnly=N, comments cancelled with their lines.
    public static func cancelParameters(ignoreWarnings: String) -> String {
        "<PostSalesOrderCancel><Parameters>" + XML.element("IgnoreWarnings", ignoreWarnings) + XML.element("ValidateOnly", "N")
            + XML.element("CancelAttachedComments", "Y") + "</Parameters></PostSalesOrderCancel>"
    }

    /// One `<Item>` naming the order and no SalesOrderLine: the whole order.
    public static func cancelXmlIn(salesOrder: String, reasonCode: String?) -> String {
        "<PostSalesOrderCancel><Item>" + XML.element("SalesOrder", salesOrder)
            + (reasonCode.map { XML.element("CancelReasonCode", $0) } ?? "") + "</Item></PostSalesOrderCancel>"
    }
}

/// What SORTDN, SORTNC or SORTOX answered. No public sample of these answers exists, so it
/// is read like the other business objects: errors as echoed elements, StatusOfItems
/// counters, and the document number wherever an element of that name carries one.
public struct LifecyclePostResult: Sendable, Equatable {
    public let itemsProcessed: Int
    public let errors: [String]
    public let warnings: [String]
    /// The dispatch note (SORTDN) or invoice (SORTNC) number, when the answer names one.
    public let number: String?

    public init(itemsProcessed: Int, errors: [String], warnings: [String] = [], number: String? = nil) {
        self.itemsProcessed = itemsProcessed; self.errors = errors; self.warnings = warnings; self.number = number
    }

    init(_ root: XMLElement, numberElements: [String]) {
        let status = root.first("StatusOfItems")
        func count(_ name: String) -> Int { status?.value(name).flatMap { Int($0.trimmed) } ?? 0 }
        itemsProcessed = count("ItemsProcessed") + count("ItemsProcessedWithWarnings")
        errors = SysproErrorText.collect(root)
        warnings = SysproWarnings.collect(root)
        number = numberElements.lazy.compactMap { name in
            root.all(name).lazy.filter { $0.children.isEmpty }.map(\.trimmedText).first { !$0.isEmpty }
        }.first
    }

    public var isApplied: Bool { errors.isEmpty && itemsProcessed > 0 }
}

extension SysproClient {
    /// SORTDN: one dispatch note. Not repeated by the client: a lost answer is resolved by
    /// looking the note up (`ODataClient.dispatchNotes`).
    public func postDispatchNote(salesOrder: String, reference: String, comments: [String],
                                 lines: [SalesOrderLifecycle.DispatchLine], ignoreWarnings: String) throws -> LifecyclePostResult {
        LifecyclePostResult(try post(businessObject: SalesOrderLifecycle.dispatchBusinessObject,
                                     parameters: SalesOrderLifecycle.dispatchParameters(ignoreWarnings: ignoreWarnings),
                                     xmlIn: SalesOrderLifecycle.dispatchXmlIn(salesOrder: salesOrder, reference: reference,
                                                                               comments: comments, lines: lines)),
                            numberElements: ["DispatchNoteNumber", "DispatchNote"])
    }

    /// SORTNC: the invoice of one dispatch note.
    public func invoiceDispatchNote(_ dispatchNote: String, ignoreWarnings: String) throws -> LifecyclePostResult {
        LifecyclePostResult(try post(businessObject: SalesOrderLifecycle.invoiceBusinessObject,
                                     parameters: SalesOrderLifecycle.invoiceParameters(ignoreWarnings: ignoreWarnings),
                                     xmlIn: SalesOrderLifecycle.invoiceXmlIn(dispatchNote: dispatchNote)),
                            numberElements: ["Invoice", "InvoiceNumber"])
    }

    /// SORTOX: cancels the whole order.
    public func cancelSalesOrder(_ salesOrder: String, reasonCode: String?, ignoreWarnings: String) throws -> LifecyclePostResult {
        LifecyclePostResult(try post(businessObject: SalesOrderLifecycle.cancelBusinessObject,
                                     parameters: SalesOrderLifecycle.cancelParameters(ignoreWarnings: ignoreWarnings),
                                     xmlIn: SalesOrderLifecycle.cancelXmlIn(salesOrder: salesOrder, reasonCode: reasonCode)),
                            numberElements: [])
    }
}

/// One SorDetail stock line, as SORTDN needs it.
public struct SorDetailRow: Sendable, Equatable {
    public let salesOrderLine: Int
    public let stockCode: String
    public let warehouse: String
    public let orderQty: Decimal

    public init(salesOrderLine: Int, stockCode: String, warehouse: String, orderQty: Decimal) {
        self.salesOrderLine = salesOrderLine; self.stockCode = stockCode; self.warehouse = warehouse; self.orderQty = orderQty
    }
}

/// One MdnMaster row: a dispatch note of a sales order.
public struct DispatchNoteRow: Sendable, Equatable {
    public let dispatchNote: String
    public let salesOrder: String
    public let reference: String
    public let status: String

    public init(dispatchNote: String, salesOrder: String, reference: String, status: String) {
        self.dispatchNote = dispatchNote; self.salesOrder = salesOrder; self.reference = reference; self.status = status
    }
}

extension ODataClient {
    /// The stock lines of a sales order (LineType 1; docs/vendors/syspro.md, "Finding a
    /// dispatch note after a lost answer" for the columns).
    public func salesOrderLines(salesOrder: String) throws -> [SorDetailRow] {
        try fetch(entitySet: SysproFacts.EntitySet.sorDetail, filter: ODataFilter.eq("SalesOrder", salesOrder),
                  select: ["SalesOrderLine", "LineType", "MStockCode", "MWarehouse", "MOrderQty"])
            .filter { ($0["LineType"]?.string?.trimmed ?? "1") == "1" }
            .compactMap { row in
                guard let line = row["SalesOrderLine"]?.double else { return nil }
                return SorDetailRow(salesOrderLine: Int(line), stockCode: row["MStockCode"]?.string?.trimmed ?? "",
                                    warehouse: row["MWarehouse"]?.string?.trimmed ?? "",
                                    orderQty: Decimal(row["MOrderQty"]?.double ?? 0))
            }
    }

    /// The dispatch notes of a sales order: finds the note whose SORTDN answer was lost.
    public func dispatchNotes(salesOrder: String) throws -> [DispatchNoteRow] {
        try fetch(entitySet: SysproFacts.EntitySet.mdnMaster, filter: ODataFilter.eq("SalesOrder", salesOrder),
                  select: ["DispatchNote", "SalesOrder", SysproFacts.dispatchReferenceField, "DispatchNoteStatus"])
            .compactMap { row in
                guard let note = row["DispatchNote"]?.string?.trimmed, !note.isEmpty else { return nil }
                return DispatchNoteRow(dispatchNote: note, salesOrder: row["SalesOrder"]?.string?.trimmed ?? "",
                                       reference: row[SysproFacts.dispatchReferenceField]?.string?.trimmed ?? "",
                                       status: row["DispatchNoteStatus"]?.string?.trimmed ?? "")
            }
    }
}
