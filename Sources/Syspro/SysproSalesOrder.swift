import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One sales order as SORTOI imports it (docs/vendors/syspro.md, SORTOI XmlIn fields).
public struct SysproSalesOrder: Sendable, Equatable {
    /// At most 30 characters (docs/vendors/syspro.md); the idempotency key SYSPRO itself checks
    /// (AllowDuplicateOrderNumbers=N; docs/vendors/syspro.md, "SORTOI parameters"), e.g.
    /// `SB15949208` from ShipBob's order id.
    public var customerPoNumber: String
    public var customer: String
    /// `yyyy-MM-dd`, in the SYSPRO server's time zone.
    public var orderDate: String
    public var customerName: String
    /// ShipAddress1 to ShipAddress5.
    public var shipAddress: [String]
    public var shipPostalCode: String
    public var email: String
    public var shippingInstrs: String
    public var specialInstrs: String
    public var lines: [StockLine]

    public init(customerPoNumber: String, customer: String, orderDate: String, customerName: String = "",
                shipAddress: [String] = [], shipPostalCode: String = "", email: String = "",
                shippingInstrs: String = "", specialInstrs: String = "", lines: [StockLine]) {
        self.customerPoNumber = customerPoNumber; self.customer = customer; self.orderDate = orderDate
        self.customerName = customerName; self.shipAddress = shipAddress; self.shipPostalCode = shipPostalCode
        self.email = email; self.shippingInstrs = shippingInstrs; self.specialInstrs = specialInstrs; self.lines = lines
    }

    public static let maxCustomerPoLength = 30
    public static let maxShipAddressLines = 5

    /// Refuses what SYSPRO would refuse or silently cut, before anything is sent.
    public func validate() throws {
        let source = "sales order \(customerPoNumber.isEmpty ? "(no customer PO)" : customerPoNumber)"
        func fail(_ problem: String) -> DataError { DataError(source: source, problem: problem) }
        guard !customerPoNumber.trimmed.isEmpty else { throw fail("customer PO number is empty") }
        guard customerPoNumber.count <= Self.maxCustomerPoLength else {
            throw fail("customer PO number has \(customerPoNumber.count) characters, SYSPRO takes at most \(Self.maxCustomerPoLength)")
        }
        guard !customer.trimmed.isEmpty else { throw fail("customer code is empty") }
        guard Self.isISODate(orderDate) else { throw fail("order date \"\(orderDate)\" is not yyyy-MM-dd") }
        guard shipAddress.count <= Self.maxShipAddressLines else {
            throw fail("\(shipAddress.count) ship address lines, SYSPRO takes at most \(Self.maxShipAddressLines)")
        }
        guard !lines.isEmpty else { throw fail("has no stock lines") }
        for line in lines {
            guard !line.stockCode.trimmed.isEmpty else { throw fail("line \(line.customerPoLine) has no stock code") }
            guard !line.warehouse.trimmed.isEmpty else { throw fail("line \(line.customerPoLine) has no warehouse") }
            guard line.quantity > 0 else { throw fail("line \(line.customerPoLine) quantity \(line.quantity) is not positive") }
            if let p = line.price, !(p.isFinite && p >= 0) { throw fail("line \(line.customerPoLine) price \(p) is not a price") }
        }
    }

    static func isISODate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        guard u.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) }) else { return false }
        let month = Int(s.dropFirst(5).prefix(2))!, day = Int(s.suffix(2))!
        return (1...12).contains(month) && (1...31).contains(day)
    }
}

public struct StockLine: Sendable, Equatable {
    public var customerPoLine: Int
    public var stockCode: String
    public var warehouse: String
    public var quantity: Decimal
    /// `nil` lets SYSPRO price the line; otherwise sent with AlwaysUsePriceEntered=Y.
    public var price: Double?

    public init(customerPoLine: Int, stockCode: String, warehouse: String, quantity: Decimal, price: Double? = nil) {
        self.customerPoLine = customerPoLine; self.stockCode = stockCode; self.warehouse = warehouse
        self.quantity = quantity; self.price = price
    }
}
