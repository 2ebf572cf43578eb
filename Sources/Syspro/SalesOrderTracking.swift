import ConnectorKit
import ENetXML

/// What shipment tracking changes on a SYSPRO sales order: its status through SORTOS (on
/// hold only) and two header texts through a SORTOI change (docs/vendors/syspro.md: SYSPRO has no
/// tracking-number field; OrderActionType `C` of ShippingInstrs/SpecialInstrs is one of the
/// places named).
public enum SalesOrderTracking {
    public static let statusBusinessObject = "SORTOS"

    /// The header fields a SORTOI change may set here (the ones docs/vendors/syspro.md names).
    public static let textFields: Set<String> = ["ShippingInstrs", "SpecialInstrs"]

    /// SORTOS XmlParameters: IgnoreWarnings=N keeps warnings visible; ValidateOnly=N is sent
    /// because the XSD-derived class defaults it to Y (docs/vendors/syspro.md, "SORTOS sets
    /// only 1, 2, 3, 4, 8, 9 and S"), which would change nothing.
    public static func statusParameters() -> String {
        "<PostSorOrderStatus><Parameters>" + XML.element("ValidateOnly", "N") + XML.element("IgnoreWarnings", "N")
            + "</Parameters></PostSorOrderStatus>"
    }

    /// `<PostSorOrderStatus><Item>` SalesOrder, OrderStatus (current, when known), NewOrderStatus.
    public static func statusXmlIn(salesOrder: String, current: String?, new: String) throws -> String {
        guard SysproFacts.settableSalesOrderStatuses.contains(new) else {
            throw DataError(source: "SORTOS for sales order \(salesOrder)", problem: "\"\(new)\" is not a status SORTOS can set")
        }
        return "<PostSorOrderStatus><Item>" + XML.element("SalesOrder", salesOrder)
            + (current.map { XML.element("OrderStatus", $0) } ?? "")
            + XML.element("NewOrderStatus", new) + "</Item></PostSorOrderStatus>"
    }

    /// SORTOI change parameters: CheckForCustomerPoNumbers=N, since the PO being mandatory
    /// concerns new orders only (docs/vendors/syspro.md, "SORTOI parameters").
    public static func changeParameters() -> String {
        "<SalesOrders><Parameters>" + XML.element("Process", "IMPORT") + XML.element("IgnoreWarnings", "N")
            + XML.element("CheckForCustomerPoNumbers", "N") + "</Parameters></SalesOrders>"
    }

    /// One header change (OrderActionType `C`) naming the order by SalesOrder and its PO.
    public static func changeXmlIn(salesOrder: String, customerPoNumber: String, fields: [String: String]) throws -> String {
        guard !fields.isEmpty else { throw DataError(source: "SORTOI change of \(salesOrder)", problem: "changes nothing") }
        var header = XML.element("CustomerPoNumber", customerPoNumber) + XML.element("OrderActionType", "C")
            + XML.element("SalesOrder", salesOrder)
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard textFields.contains(name) else {
                throw DataError(source: "SORTOI change of \(salesOrder)", problem: "field \(name) is not one of \(textFields.sorted().joined(separator: ", "))")
            }
            header += XML.element(name, value)
        }
        return "<SalesOrders><Orders><OrderHeader>\(header)</OrderHeader></Orders></SalesOrders>"
    }
}

/// What SORTOS or a SORTOI change answered: processed or the errors named.
public struct SalesOrderUpdateResult: Sendable, Equatable {
    public let itemsProcessed: Int
    public let errors: [String]

    public init(itemsProcessed: Int, errors: [String]) { self.itemsProcessed = itemsProcessed; self.errors = errors }

    public init(_ root: XMLElement) {
        itemsProcessed = root.first("StatusOfItems")?.value("ItemsProcessed").flatMap { Int($0.trimmed) } ?? 0
        errors = SysproErrorText.collect(root)
    }

    public var isApplied: Bool { errors.isEmpty && itemsProcessed > 0 }
}

extension SysproClient {
    /// SORTOS: moves one sales order to `new` (a SYSPRO status code).
    public func changeOrderStatus(salesOrder: String, current: String?, new: String) throws -> SalesOrderUpdateResult {
        SalesOrderUpdateResult(try post(businessObject: SalesOrderTracking.statusBusinessObject,
                                         parameters: SalesOrderTracking.statusParameters(),
                                         xmlIn: SalesOrderTracking.statusXmlIn(salesOrder: salesOrder, current: current, new: new)))
    }

    /// SORTOI OrderActionType `C` of header texts (ShippingInstrs, SpecialInstrs).
    public func changeOrderTexts(salesOrder: String, customerPoNumber: String, fields: [String: String]) throws -> SalesOrderUpdateResult {
        SalesOrderUpdateResult(try post(businessObject: SalesOrderImport.businessObject,
                                         parameters: SalesOrderTracking.changeParameters(),
                                         xmlIn: SalesOrderTracking.changeXmlIn(salesOrder: salesOrder, customerPoNumber: customerPoNumber,
                                                                                fields: fields)))
    }
}
