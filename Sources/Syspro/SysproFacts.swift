import ConnectorKit
import ENetXML
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every SYSPRO behaviour the connector relies on that docs/vendors/syspro.md marks unconfirmed (or that
/// is our reading of client code rather than vendor documentation), in one place so a
/// finding on a real installation is a one-line change here.
public enum SysproFacts {
    /// docs/vendors/syspro.md: an invalid or expired session reads `ERROR: The supplied UserID is invalid.`
    /// (from client code). The other phrasings are guesses at what other versions say.
    public static let invalidSessionPhrases = [
        "supplied userid is invalid",
        "userid is invalid",
        "session has expired",
        "session expired",
        "not logged on",
    ]

    public static func isInvalidSession(_ answer: String) -> Bool {
        let text = answer.lowercased()
        return invalidSessionPhrases.contains { text.contains($0) }
    }

    /// docs/vendors/syspro.md: errors come as HTTP 200 with a body starting `ERROR:`.
    public static func isErrorAnswer(_ text: String) -> Bool {
        text.uppercased().hasPrefix("ERROR")
    }

    /// docs/vendors/syspro.md (unconfirmed): some setups return the session id, and possibly other
    /// answers, JSON-quoted. A quoted string is decoded as JSON, so `\"` and `\u003c` come out right.
    public static func unwrapJSONString(_ text: String) -> String {
        let t = text.trimmed
        guard t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\""),
              let s = try? JSONDecoder().decode(String.self, from: Data(t.utf8)) else { return t }
        return s.trimmed
    }

    /// An e.net REST answer as text: UTF-8 or Windows-1252, JSON quotes removed, trimmed.
    public static func answerText(_ body: Data) -> String {
        unwrapJSONString(XML.decodeText(body))
    }

    /// docs/vendors/syspro.md: SYSPRO 7 ids are 32 hex characters, SYSPRO 8 ids can be longer; the Twilio
    /// seed calls it a GUID, so braces and dashes are allowed too.
    public static func isPlausibleSessionID(_ id: String) -> Bool {
        id.count >= 32 && id.unicodeScalars.allSatisfy {
            ($0.properties.isASCIIHexDigit) || ($0.isASCII && $0.properties.isAlphabetic) || "-{}".unicodeScalars.contains($0)
        }
    }

    /// Field report in docs/vendors/syspro.md (unconfirmed): a second Logon by the same operator ends the
    /// first session. Hence one cached session per tenant, shared by all jobs under a lock.
    public static let sessionTokenName = "syspro-session"

    /// Re-logon this long before `session_timeout_minutes` would expire the session, so a
    /// call never races the server's idle timer.
    public static let sessionExpiryMargin: Double = 60

    /// SORTOI with AllowDuplicateOrderNumbers=N rejects a second order with the same customer
    /// PO (docs/vendors/syspro.md, "SORTOI parameters"). The wording of that rejection is not recorded anywhere: it is
    /// recognised by the element it is reported against or by words naming the PO, together
    /// with words saying it exists already.
    public static func isDuplicateCustomerPo(element: String, description: String) -> Bool {
        let text = description.lowercased()
        let aboutPo = element.lowercased().contains("customerpo")
            || ["customer po", "customer purchase order", "purchase order number", "customerponumber"].contains { text.contains($0) }
        let exists = ["already", "exist", "duplicate", "previously"].contains { text.contains($0) }
        return aboutPo && exists
    }

    /// OData entity-set names (docs/vendors/syspro.md: "entity-set naming ... unconfirmed"); the table names.
    /// What the jobs `$select` or filter on, per entity set (docs/vendors/syspro.md, "Columns the
    /// connector reads"); `ml-connector probe` finds each in the server's `$metadata`. The
    /// barcode column is the tenant's `inventory.barcode_field`, added by the probe.
    public static let columnsRead: [String: [String]] = [
        EntitySet.invWarehouse: ["StockCode", "Warehouse", "QtyOnHand", "QtyAllocated", "QtyOnOrder", "QtyInTransit", "TimeStamp"],
        EntitySet.invMaster: ["StockCode", "Description", "ProductClass", "TimeStamp"],
        EntitySet.invPrice: ["StockCode", "PriceCode", "SellingPrice", "TimeStamp"],
        EntitySet.invMovements: ["StockCode", "Warehouse", "Reference", "TrnQty", "Journal"],
        EntitySet.arCustomer: ["Customer", "Name", "Email", "Telephone", "Contact", "Currency", "CustomerClass", "TermsCode", "TimeStamp"],
        EntitySet.arInvoice: ["Customer", "Invoice", "DocumentType", "InvoiceDate", "SalesOrder", "CustomerPoNumber", "TermsCode",
                              "InvoiceBal1", "CurrencyValue", "TimeStamp"],
        EntitySet.arTrnDetail: ["Invoice", "DetailLine", "Customer", "LineType", "StockCode", "QtyInvoiced", "NetSalesValue"],
        EntitySet.sorMaster: ["SalesOrder", "Customer", "CustomerPoNumber", "OrderStatus", "ShippingInstrs", "SpecialInstrs"],
    ]

    public enum EntitySet {
        public static let sorMaster = "SorMaster"
        public static let invMaster = "InvMaster"
        public static let invWarehouse = "InvWarehouse"
        public static let invPrice = "InvPrice"
        public static let arCustomer = "ArCustomer"
        /// Customer amendment journal: docs/vendors/syspro.md, "Customer changes: the amendment journal".
        public static let arAmendmentJnl = "ArAmendmentJnl"
        public static let arInvoice = "ArInvoice"
        /// Invoice lines (docs/vendors/syspro.md: "ArTrnDetail (invoice lines)").
        public static let arTrnDetail = "ArTrnDetail"
        /// Inventory movements with their Reference: proves an INVTMR/INVTMA post happened.
        public static let invMovements = "InvMovements"
        /// One row per warehouse with its Description (docs/vendors/syspro.md, "Warehouses: InvWhControl").
        public static let invWhControl = "InvWhControl"
        /// Sales order lines: SORTDN names them by SalesOrderLine.
        public static let sorDetail = "SorDetail"
        /// Dispatch notes (MdnMaster: DispatchNote, SalesOrder, Customer, CustomerPoNumber,
        /// seen in public queries against SYSPRO databases; the status column is our reading).
        public static let mdnMaster = "MdnMaster"
    }

    /// InvMovements.Reference length (unconfirmed: schema dumps show a 30-character
    /// column; SORTOI's CustomerPoNumber is 30 as well). Receipt references stay far below it.
    public static let maxMovementReferenceLength = 30
    /// Notation is cut, not refused: it is a human note (unconfirmed width).
    public static let maxNotationLength = 100

    /// The statuses SORTOS can set (docs/vendors/syspro.md, "SORTOS sets only 1, 2, 3, 4, 8, 9
    /// and S"): 1 open, 2 open back order, 3 released back order, 4 in warehouse, 8 ready to
    /// invoice, 9 complete, S suspense. `*` and `\` (cancelled) are not among them.
    public static let settableSalesOrderStatuses: Set<String> = ["1", "2", "3", "4", "8", "9", "S"]
    /// How SorMaster shows a cancelled order (docs/vendors/syspro.md status codes; which of the two SORTOX
    /// leaves is unconfirmed, so both count, and so does CancelledFlag `Y`).
    public static let cancelledSalesOrderStatuses: Set<String> = ["*", "\\"]
    /// Open statuses a dispatch note can be posted against, in our reading: 1 open, 2 open
    /// back order, 3 released back order, 4 in warehouse (`ml-connector probe` validates a
    /// SORTDN on one: docs/vendors/syspro.md, "Shipped orders relieve stock through dispatch notes").
    public static let dispatchableSalesOrderStatuses = ["1", "2", "3", "4"]
    /// Statuses after which the connector no longer changes an order: complete and cancelled.
    public static let finalSalesOrderStatuses: Set<String> = ["9", "*", "\\"]
    /// Suspense: the order was put on hold (SORTOS S) and is released (SORTOS 1) before it
    /// is dispatched.
    public static let suspendedSalesOrderStatus = "S"

    /// The dispatch note header field the connector writes its reference into, and reads
    /// back from MdnMaster to find a note whose answer was lost (unconfirmed: SORTDN takes
    /// SpecialInstrs in DispatchHeader; that MdnMaster shows it under this name is our
    /// reading; docs/vendors/syspro.md, "Finding a dispatch note after a lost answer").
    public static let dispatchReferenceField = "SpecialInstrs"
    /// MdnMaster.DispatchNoteStatus once the note is invoiced (unconfirmed: SYSPRO's help
    /// says an invoice can be printed at status 7; 9 = complete is our reading).
    public static let invoicedDispatchNoteStatus = "9"

    /// OData literal of a rowversion (docs/vendors/syspro.md: how OData exposes TimeStamp is unconfirmed).
    /// OData 4.0 ABNF writes binary literals in base64url; padding is allowed and kept, so
    /// strict base64 decoders on the server read it too.
    public static func binaryLiteral(_ bytes: [UInt8]) -> String {
        let b64 = Data(bytes).base64EncodedString()
            .replacing("+", with: "-").replacing("/", with: "_")
        return "binary'\(b64)'"
    }
}
