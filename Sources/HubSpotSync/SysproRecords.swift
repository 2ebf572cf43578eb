import ConnectorKit
import Syspro
import WebhookCore

/// One ArCustomer row (docs/vendors/syspro.md, "Columns the connector reads": Customer, Name,
/// Email, Telephone, Contact, Currency, CustomerClass, TermsCode, TimeStamp).
public struct CustomerRow: Equatable {
    public var code: String
    public var name: String
    public var email: String?
    public var telephone: String
    public var contact: String
    public var currency: String
    public var customerClass: String
    public var termsCode: String

    static let select = ["Customer", "Name", "Email", "Telephone", "Contact", "Currency", "CustomerClass", "TermsCode", "TimeStamp"]

    public init(row: JSONValue) throws {
        guard let code = row["Customer"]?.string?.trimmed, !code.isEmpty else {
            throw DataError(source: "SYSPRO OData ArCustomer", problem: "row without Customer")
        }
        func text(_ k: String) -> String { row[k]?.string?.trimmed ?? "" }
        self.code = code; name = text("Name"); telephone = text("Telephone"); contact = text("Contact")
        currency = text("Currency"); customerClass = text("CustomerClass"); termsCode = text("TermsCode")
        let mail = text("Email")
        email = CustomerRow.isUsableEmail(mail) ? mail.lowercased() : nil
    }

    /// HubSpot keys contacts by email; one that cannot be an address makes no contact.
    static func isUsableEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(" ")
    }
}

/// One ArInvoice row (key Customer + Invoice + DocumentType) with its ArTrnDetail lines.
/// ArInvoice has no Currency column (docs/vendors/syspro.md, "Columns the connector reads"):
/// the invoice is in its customer's currency, ArCustomer.Currency, filled in after reading.
public struct InvoiceRow: Equatable {
    public struct Line: Equatable {
        public var detailLine: Int
        public var stockCode: String
        public var quantity: Double
        public var netValue: Double

        public init(detailLine: Int, stockCode: String, quantity: Double, netValue: Double) {
            self.detailLine = detailLine; self.stockCode = stockCode; self.quantity = quantity; self.netValue = netValue
        }
    }

    public var customer: String
    public var invoice: String
    public var documentType: String
    public var invoiceDate: String
    public var salesOrder: String
    public var customerPo: String
    public var termsCode: String
    public var openBalance: Double
    public var value: Double
    public var currency = ""
    public var lines: [Line] = []

    static let select = ["Customer", "Invoice", "DocumentType", "InvoiceDate", "SalesOrder", "CustomerPoNumber", "TermsCode",
                         "InvoiceBal1", "CurrencyValue", "TimeStamp"]
    static let lineSelect = ["Invoice", "DetailLine", "Customer", "LineType", "StockCode", "QtyInvoiced", "NetSalesValue"]

    /// The unique key in HubSpot (`syspro_invoice_key`): the row's primary key.
    public var key: String { "\(customer)-\(invoice)-\(documentType)" }

    public init(row: JSONValue) throws {
        func text(_ k: String) -> String { row[k]?.string?.trimmed ?? "" }
        customer = text("Customer"); invoice = text("Invoice"); documentType = text("DocumentType")
        guard !customer.isEmpty, !invoice.isEmpty else { throw DataError(source: "SYSPRO OData ArInvoice", problem: "row without Customer or Invoice") }
        invoiceDate = String(text("InvoiceDate").prefix(10)); salesOrder = text("SalesOrder"); customerPo = text("CustomerPoNumber")
        termsCode = text("TermsCode")
        guard let balance = row["InvoiceBal1"]?.double, let value = row["CurrencyValue"]?.double else {
            throw DataError(source: "SYSPRO OData ArInvoice", problem: "invoice \(invoice): InvoiceBal1 or CurrencyValue is not a number")
        }
        openBalance = balance; self.value = value
    }

    static func line(_ row: JSONValue) -> (invoice: String, customer: String, line: Line)? {
        guard let invoice = row["Invoice"]?.string?.trimmed, let n = row["DetailLine"]?.int64 else { return nil }
        return (invoice, row["Customer"]?.string?.trimmed ?? "",
                Line(detailLine: Int(n), stockCode: row["StockCode"]?.string?.trimmed ?? "",
                     quantity: row["QtyInvoiced"]?.double ?? 0, netValue: row["NetSalesValue"]?.double ?? 0))
    }
}
