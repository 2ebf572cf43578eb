import ConnectorKit
import WebhookCore

/// The SorMaster columns the order job needs to recognise an order it imported before.
public struct SorMasterRow: Sendable, Equatable {
    public let salesOrder: String
    public let customer: String
    public let customerPoNumber: String
    public let orderStatus: String
    /// The two header texts shipment tracking writes (config `tracking`): read so an
    /// unchanged text is not posted again.
    public let shippingInstrs: String
    public let specialInstrs: String
    /// `Y` once the order is cancelled (SORTOX), whatever status it shows.
    public let cancelledFlag: String

    public init(salesOrder: String, customer: String, customerPoNumber: String, orderStatus: String,
                shippingInstrs: String = "", specialInstrs: String = "", cancelledFlag: String = "") {
        self.salesOrder = salesOrder; self.customer = customer; self.customerPoNumber = customerPoNumber; self.orderStatus = orderStatus
        self.shippingInstrs = shippingInstrs; self.specialInstrs = specialInstrs; self.cancelledFlag = cancelledFlag
    }

    public var isCancelled: Bool {
        SysproFacts.cancelledSalesOrderStatuses.contains(orderStatus) || cancelledFlag.uppercased() == "Y"
    }

    /// One SorMaster row looked up by `customerPoNumber`; the texts trimmed (SYSPRO pads them).
    init(row: JSONValue, customerPoNumber: String) throws {
        guard let order = row["SalesOrder"]?.string?.trimmed, !order.isEmpty else {
            throw DataError(source: "SYSPRO OData \(SysproFacts.EntitySet.sorMaster)", problem: "row for customer PO \(customerPoNumber) has no SalesOrder")
        }
        self.init(salesOrder: order, customer: row["Customer"]?.string?.trimmed ?? "",
                  customerPoNumber: row["CustomerPoNumber"]?.string?.trimmed ?? "",
                  orderStatus: row["OrderStatus"]?.string?.trimmed ?? "",
                  shippingInstrs: row["ShippingInstrs"]?.string?.trimmed ?? "",
                  specialInstrs: row["SpecialInstrs"]?.string?.trimmed ?? "",
                  cancelledFlag: row["CancelledFlag"]?.string?.trimmed ?? "")
    }
}

extension ODataClient {
    /// Sales orders carrying this customer PO: finds the order a clean SORTOI import did not
    /// name, and proves an order exists before a retry could post it twice.
    public func salesOrders(customerPoNumber: String) throws -> [SorMasterRow] {
        let set = SysproFacts.EntitySet.sorMaster
        return try fetch(entitySet: set, filter: ODataFilter.eq("CustomerPoNumber", customerPoNumber),
                         select: ["SalesOrder", "Customer", "CustomerPoNumber", "OrderStatus", "ShippingInstrs", "SpecialInstrs", "CancelledFlag"])
            .map { try SorMasterRow(row: $0, customerPoNumber: customerPoNumber) }
    }

    /// Which of `codes` exist in InvMaster, as SYSPRO spells them (trimmed).
    public func stockCodes(_ codes: [String]) throws -> Set<String> {
        var found = Set<String>()
        for row in try fetch(entitySet: SysproFacts.EntitySet.invMaster, whereAnyOf: "StockCode", in: codes.map(\.trimmed),
                             select: ["StockCode"]) {
            if let code = row["StockCode"]?.string?.trimmed, !code.isEmpty { found.insert(code) }
        }
        return found
    }

    /// The rows whose `field` is one of `values` (empty and repeated values dropped), asked
    /// in chunks of 40 so the `or` filter stays well inside URL length limits.
    public func fetch(entitySet: String, whereAnyOf field: String, in values: [String], select: [String] = []) throws -> [JSONValue] {
        let unique = Array(Set(values.filter { !$0.isEmpty })).sorted()
        var rows: [JSONValue] = []
        for start in stride(from: 0, to: unique.count, by: 40) {
            rows += try fetch(entitySet: entitySet, filter: ODataFilter.anyOf(field, Array(unique[start..<min(start + 40, unique.count)])),
                              select: select)
        }
        return rows
    }
}
