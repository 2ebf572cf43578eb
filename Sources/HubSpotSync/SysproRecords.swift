import ConnectorKit
import Syspro
import WebhookCore

/// One ArCustomer row (docs/vendors/syspro.md, "Columns the connector reads": Customer, Name,
/// Email, Telephone, Contact, Currency, CustomerClass, TermsCode, TimeStamp).
struct CustomerRow: Equatable {
    var code: String
    var name: String
    var email: String?
    var telephone: String
    var contact: String
    var currency: String
    var customerClass: String
    var termsCode: String

    static let select = ["Customer", "Name", "Email", "Telephone", "Contact", "Currency", "CustomerClass", "TermsCode", "TimeStamp"]

    init(row: JSONValue) throws {
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
struct InvoiceRow: Equatable {
    struct Line: Equatable {
        var detailLine: Int
        var stockCode: String
        var quantity: Double
        var netValue: Double
    }

    var customer: String
    var invoice: String
    var documentType: String
    var invoiceDate: String
    var salesOrder: String
    var customerPo: String
    var termsCode: String
    var openBalance: Double
    var value: Double
    var currency = ""
    var lines: [Line] = []

    static let select = ["Customer", "Invoice", "DocumentType", "InvoiceDate", "SalesOrder", "CustomerPoNumber", "TermsCode",
                         "InvoiceBal1", "CurrencyValue", "TimeStamp"]
    static let lineSelect = ["Invoice", "DetailLine", "Customer", "LineType", "StockCode", "QtyInvoiced", "NetSalesValue"]

    /// The unique key in HubSpot (`syspro_invoice_key`): the row's primary key.
    var key: String { "\(customer)-\(invoice)-\(documentType)" }

    init(row: JSONValue) throws {
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
