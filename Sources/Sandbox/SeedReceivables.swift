import ConnectorKit
import Foundation

/// What the HubSpot sync reads from SYSPRO: AR invoices (ArInvoice, key Customer +
/// Invoice + DocumentType; InvoiceBal1 is the open balance, CurrencyValue the value;
/// no DueDate column — docs/vendors/syspro.md "Tables and columns") and their lines (ArTrnDetail).
extension SeedData {
    struct DemoInvoice {
        let invoice: String
        let customer: String
        let documentType: String
        let salesOrder: String
        let po: String
        let date: String
        let terms: String
        let lines: [(stockCode: String, qty: Double)]
        /// What the customer has paid; the open balance is the value less this.
        let paid: Paid

        enum Paid { case all, none, amount(Double) }
    }

    /// Invoices of the wholesale history, one paid, one partly paid, one for the customer
    /// without an email and one for the customer whose email HubSpot refuses, plus a credit
    /// note (DocumentType C, negative values) for returned tees.
    static let demoInvoices: [DemoInvoice] = [
        .init(invoice: "100231", customer: "0000102", documentType: "I", salesOrder: "015558", po: "NWB-2231", date: "2026-07-23",
              terms: "30", lines: [("TS-WHT-M", 48), ("TS-WHT-L", 36)], paid: .all),
        .init(invoice: "100232", customer: "0000104", documentType: "I", salesOrder: "015559", po: "MDS-880112", date: "2026-07-27",
              terms: "60", lines: [("DR-WRP-NAV-M", 24), ("JN-SLM-IND-32", 30)], paid: .none),
        .init(invoice: "100233", customer: "0000105", documentType: "I", salesOrder: "015561", po: "SSC-0731", date: "2026-08-01",
              terms: "30", lines: [("TS-BLK-S", 60), ("AC-CAP-NAV", 40)], paid: .amount(500)),
        .init(invoice: "100234", customer: "0000106", documentType: "I", salesOrder: "", po: "LT-0802", date: "2026-08-02",
              terms: "30", lines: [("AC-BELT-BRN-M", 12), ("AC-SCARF-WOL", 10), ("HD-GRY-M", 6)], paid: .none),
        .init(invoice: "100235", customer: "0000107", documentType: "I", salesOrder: "", po: "BG-1177", date: "2026-08-03",
              terms: "30", lines: [("JN-STR-BLK-32", 18)], paid: .amount(250)),
        .init(invoice: "C00012", customer: "0000102", documentType: "C", salesOrder: "015558", po: "NWB-2231-R", date: "2026-08-04",
              terms: "30", lines: [("TS-WHT-L", -4)], paid: .none),
    ]

    /// The wholesale price (price code W) the invoices charge.
    static func wholesalePrice(_ stockCode: String) -> Double {
        let price = items.first { $0.stockCode == stockCode }?.price ?? 10
        return (price * 0.55 * 100).rounded() / 100
    }

    static func addReceivables(_ db: inout SysproDatabase) {
        for v in demoInvoices {
            let values = v.lines.map { ($0.qty * wholesalePrice($0.stockCode) * 100).rounded() / 100 }
            let total = (values.reduce(0, +) * 100).rounded() / 100
            let balance: Double
            switch v.paid {
            case .all: balance = 0
            case .none: balance = total
            case .amount(let a): balance = ((total - a) * 100).rounded() / 100
            }
            insertInvoice(&db, customer: v.customer, invoice: v.invoice, type: v.documentType, date: v.date, salesOrder: v.salesOrder,
                          po: v.po, terms: v.terms, value: total, balance: balance,
                          lines: zip(v.lines, values).map { ($0.0.stockCode, $0.0.qty, $0.1) })
        }
    }

    private static func insertInvoice(_ db: inout SysproDatabase, customer: String, invoice: String, type: String, date: String,
                                      salesOrder: String, po: String, terms: String, value: Double, balance: Double,
                                      lines: [(stockCode: String, qty: Double, value: Double)]) {
        let day = Cell.date(date + "T00:00:00Z")
        db.insert("ArInvoice", [
            "Customer": .string(customer), "Invoice": .string(invoice), "DocumentType": .string(type), "InvoiceDate": day,
            "SalesOrder": .string(salesOrder), "CustomerPoNumber": .string(po), "TermsCode": .string(terms),
            "InvoiceBal1": .number(balance), "CurrencyValue": .number(value),
        ])
        for (n, l) in lines.enumerated() {
            db.insert("ArTrnDetail", [
                "Invoice": .string(invoice), "DetailLine": .number(Double(n + 1)), "DocumentType": .string(type),
                "Customer": .string(customer), "SalesOrder": .string(salesOrder),
                "SalesOrderLine": salesOrder.isEmpty ? .null : .number(Double(n + 1)), "LineType": "1",
                "StockCode": .string(l.stockCode), "Warehouse": "FG", "QtyInvoiced": .number(l.qty),
                "NetSalesValue": .number(l.value), "InvoiceDate": day,
            ])
        }
    }

    /// The benchmark's SYSPRO: `customers` ArCustomer rows `G000001`... (every 25th without
    /// an email, every 40th with one HubSpot refuses) and `invoices` ArInvoice rows
    /// `G0000001`... of `lines` ArTrnDetail lines each, spread over the customers; every
    /// 4th paid, every 7th partly paid, every 97th a credit note.
    static func generateReceivables(customers: Int, invoices: Int, lines: Int, db: inout SysproDatabase) {
        func code(_ prefix: String, _ n: Int, _ width: Int) -> String {
            prefix + String(repeating: "0", count: max(0, width - String(n).count)) + String(n)
        }
        for i in 1...customers {
            let c = code("G", i, 6)
            let email = i % 25 == 0 ? "" : (i % 40 == 0 ? "accounts(at)customer-\(i).example" : "ap@customer-\(i).example")
            db.insert("ArCustomer", [
                "Customer": .string(c), "Name": .string("Generated Customer \(i)"), "Email": .string(email),
                "Telephone": .string("555-01\(i % 100)"), "Contact": .string("Buyer \(i) Generated"), "Currency": "$",
                "CustomerClass": "WH", "TermsCode": "30",
            ])
        }
        guard invoices > 0 else { return }
        for i in 1...invoices {
            let credit = i % 97 == 0
            let sign: Double = credit ? -1 : 1
            let picked = (0..<lines).map { n in items[(i * 7 + n * 3) % items.count].stockCode }
            let qtys = (0..<lines).map { n in sign * Double(1 + (i + n) % 24) }
            let values = zip(picked, qtys).map { ($1 * wholesalePrice($0) * 100).rounded() / 100 }
            let total = (values.reduce(0, +) * 100).rounded() / 100
            let balance = i % 4 == 0 ? 0 : (i % 7 == 0 ? ((total / 2) * 100).rounded() / 100 : total)
            let date = SandboxClock.iso(1_767_225_600 + Double(i % 240) * 86_400).prefix(10)
            insertInvoice(&db, customer: code("G", 1 + (i - 1) % customers, 6), invoice: code("G", i, 7), type: credit ? "C" : "I",
                          date: String(date), salesOrder: "", po: "GPO-\(i)", terms: "30", value: total, balance: balance,
                          lines: (0..<lines).map { (picked[$0], qtys[$0], values[$0]) })
        }
    }
}
