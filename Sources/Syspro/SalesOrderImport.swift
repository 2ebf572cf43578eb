import ConnectorKit
import ENetXML
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// SORTOI (sales order import): the XML documents SYSPRO's `Transaction/Post` takes, one order
/// per post (docs/vendors/syspro.md: everything travels in the query string, so keep posts small).
public enum SalesOrderImport {
    public static let businessObject = "SORTOI"

    /// SORTOI XmlParameters (docs/vendors/syspro.md, "SORTOI parameters"):
    /// AllowDuplicateOrderNumbers=N makes SYSPRO refuse a second order with the same customer
    /// PO for the customer, the second guard against duplicates after our ledger (Y or A
    /// would let a duplicate in). CheckForCustomerPoNumbers is left at its default: it only
    /// makes the PO mandatory, and we always send one. AlwaysUsePriceEntered=Y keeps
    /// ShipBob's prices where we send them; AllowZeroPrice=Y lets a free line through.
    public static func parameters(ignoreWarnings: String, allowZeroPrice: Bool) -> String {
        "<SalesOrders><Parameters>"
            + XML.element("Process", "IMPORT")
            + XML.element("IgnoreWarnings", ignoreWarnings)
            + XML.element("AllowDuplicateOrderNumbers", "N")
            + XML.element("AlwaysUsePriceEntered", "Y")
            + (allowZeroPrice ? XML.element("AllowZeroPrice", "Y") : "")
            + "</Parameters></SalesOrders>"
    }

    /// Whether any line sends a price of 0 (a free item, a full discount).
    public static func hasZeroPrice(_ order: SysproSalesOrder) -> Bool {
        order.lines.contains { $0.price.map { decimalText($0) == "0" } ?? false }
    }

    /// The XmlIn document; validates first. Every value goes through `XML.element`, so names
    /// and addresses typed by shoppers cannot break out of their element.
    public static func xmlIn(_ order: SysproSalesOrder) throws -> String {
        try order.validate()
        var header = XML.element("CustomerPoNumber", order.customerPoNumber)
            + XML.element("OrderActionType", "A")
            + XML.element("Customer", order.customer)
            + XML.element("OrderDate", order.orderDate)
        header += optional("CustomerName", order.customerName)
        for (i, line) in order.shipAddress.enumerated() { header += optional("ShipAddress\(i + 1)", line) }
        header += optional("ShipPostalCode", order.shipPostalCode)
        header += optional("Email", order.email)
        header += optional("ShippingInstrs", order.shippingInstrs)
        header += optional("SpecialInstrs", order.specialInstrs)

        var details = ""
        for line in order.lines {
            details += "<StockLine>"
                + XML.element("CustomerPoLine", String(line.customerPoLine))
                + XML.element("LineActionType", "A")
                + XML.element("StockCode", line.stockCode)
                + XML.element("Warehouse", line.warehouse)
                + XML.element("OrderQty", "\(line.quantity)")
                + (line.price.map { XML.element("Price", decimalText($0)) } ?? "")
                + "</StockLine>"
        }
        return "<SalesOrders><Orders><OrderHeader>\(header)</OrderHeader><OrderDetails>\(details)</OrderDetails></Orders></SalesOrders>"
    }

    private static func optional(_ name: String, _ value: String) -> String {
        value.trimmed.isEmpty ? "" : XML.element(name, value)
    }

    /// Plain decimal notation with at most 4 decimals (never `1e-05`, never binary noise like
    /// `0.10000000000000001`).
    static func decimalText(_ v: Double) -> String {
        "\(Decimal(Int64((v * 10_000).rounded())) / 10_000)"
    }
}
