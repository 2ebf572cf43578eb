import ConnectorKit
import ConnectorNet
import ENetXML

/// What SORTOI answered, read tolerantly (docs/vendors/syspro.md: element case may differ, numbers are
/// zero- or space-padded, root elements carry attributes, Windows-1252).
public struct SortoiResult: Sendable, Equatable {
    /// The new sales order, `nil` when the answer has none: either rejected (`<SalesOrder/>`)
    /// or a clean import that omitted `<Order>` (docs/vendors/syspro.md), in which case look it up in
    /// SorMaster by CustomerPoNumber.
    public let salesOrder: String?
    public let itemsProcessed: Int
    public let itemsRejected: Int
    /// One per element SYSPRO reported against: `Element 'Value' [ErrorNumber]: ErrorDescription`.
    public let errors: [String]
    /// SYSPRO refused the order because its customer PO exists (AllowDuplicateOrderNumbers=N):
    /// the order was imported before, so look it up instead of failing.
    public let isDuplicatePo: Bool
    public let isRejected: Bool
    /// What SYSPRO warned about while accepting the order (IgnoreWarnings=W): audited.
    public let warnings: [String]

    public init(salesOrder: String?, itemsProcessed: Int, itemsRejected: Int, errors: [String], isDuplicatePo: Bool,
                isRejected: Bool, warnings: [String] = []) {
        self.salesOrder = salesOrder; self.itemsProcessed = itemsProcessed; self.itemsRejected = itemsRejected
        self.errors = errors; self.isDuplicatePo = isDuplicatePo; self.isRejected = isRejected; self.warnings = warnings
    }

    public init(_ root: XMLElement) {
        let orderElement = root.first("SalesOrder")
        salesOrder = orderElement.flatMap { $0.trimmedText.isEmpty ? nil : $0.trimmedText }
        let status = root.first("StatusOfItems")
        func count(_ name: String) -> Int { (status ?? root).value(name).flatMap { Int($0.trimmed) } ?? 0 }
        // An order accepted with warnings may be counted only there (docs/vendors/syspro.md,
        // "SORTOI IgnoreWarnings").
        itemsProcessed = count("ItemsProcessed") + count("ItemsProcessedWithWarnings")
        itemsRejected = count("ItemsRejected") + count("ItemsRejectedWithWarnings")

        var errors: [String] = []
        var duplicate = false
        func visit(_ e: XMLElement) {
            if let description = e.children.first(where: { $0.name.lowercased() == "errordescription" })?.trimmedText,
               !description.isEmpty {
                var text = e.name
                if let v = e.children.first(where: { $0.name.lowercased() == "value" })?.trimmedText, !v.isEmpty { text += " '\(v)'" }
                if let n = e.children.first(where: { $0.name.lowercased() == "errornumber" })?.trimmedText, !n.isEmpty { text += " [\(n)]" }
                errors.append(text + ": " + description)
                duplicate = duplicate || SysproFacts.isDuplicateCustomerPo(element: e.name, description: description)
            }
            e.children.forEach(visit)
        }
        visit(root)
        self.errors = errors
        warnings = SysproWarnings.collect(root)
        isDuplicatePo = duplicate
        isRejected = !errors.isEmpty || itemsRejected > 0
            || (orderElement != nil && salesOrder == nil)
            || (status != nil && itemsProcessed == 0)
    }
}

extension SysproClient {
    /// Posts one order through SORTOI. A refusal is a result, not an error: the job decides
    /// (duplicate PO -> look the order up; other errors -> attention). An `ERROR:` answer
    /// about the customer PO is folded into the same result for the same reason.
    public func importSalesOrder(_ order: SysproSalesOrder, ignoreWarnings: String) throws -> SortoiResult {
        let xmlIn = try SalesOrderImport.xmlIn(order)
        let parameters = SalesOrderImport.parameters(ignoreWarnings: ignoreWarnings,
                                                     allowZeroPrice: SalesOrderImport.hasZeroPrice(order))
        do {
            return SortoiResult(try post(businessObject: SalesOrderImport.businessObject, parameters: parameters, xmlIn: xmlIn))
        } catch let e as VendorError where e.vendor == .syspro && e.kind == .refused
            && SysproFacts.isDuplicateCustomerPo(element: "", description: e.message) {
            return SortoiResult(salesOrder: nil, itemsProcessed: 0, itemsRejected: 1, errors: [e.message],
                                isDuplicatePo: true, isRejected: true)
        }
    }
}
