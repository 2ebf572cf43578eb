import ConnectorKit
import Foundation

/// What the SMS alerts read from SYSPRO: suppliers (ApSupplier), purchase orders
/// (PorMasterHdr with PorMasterDetail lines), requisition lines (ReqDetail) and posted
/// supplier invoices (ApInvoice), as docs/vendors/syspro.md, "Purchasing: PO statuses,
/// requisition approval, posted AP invoices" describes them: a new purchase order starts
/// at OrderStatus 1 (ready to print), printing makes it 4, 9 is complete and `*`
/// cancelled; purchase orders carry no approval, requisition lines do (ReqnStatus); an
/// AP invoice is a row of ApInvoice only once posted (entered invoices wait in a separate
/// register the sandbox does not serve), so a posting is a new row.
extension SeedData {
    static let suppliers: [(code: String, name: String, phone: String)] = [
        ("TEXMFG", "Pacific Textile Manufacturing", "800-555-0160"),
        ("DENIMCO", "Blue Ridge Denim Co.", "800-555-0161"),
        ("PACKCO", "Midwest Packaging Supply", "800-555-0162"),
        ("LABELCO", "Brightline Labels & Trims", "800-555-0163"),
        ("FREIGHT", "Lakeshore Freight Services", "800-555-0164"),
    ]

    struct DemoPurchaseOrder {
        let po: String
        let supplier: String
        let status: String
        let entry: String
        let due: String
        let buyer: String
        let lines: [(stockCode: String, qty: Double, price: Double)]
    }

    static let demoPurchaseOrders: [DemoPurchaseOrder] = [
        .init(po: "P00871", supplier: "TEXMFG", status: "1", entry: "2026-07-15", due: "2026-08-20", buyer: "KMO",
              lines: [("TS-BLU-M", 144, 4.10), ("TS-BLU-L", 96, 4.10)]),
        .init(po: "P00872", supplier: "DENIMCO", status: "4", entry: "2026-07-18", due: "2026-08-10", buyer: "KMO",
              lines: [("JN-SLM-IND-32", 144, 21.75), ("JN-SLM-IND-34", 96, 21.75), ("JN-STR-BLK-32", 72, 22.40)]),
        .init(po: "P00873", supplier: "TEXMFG", status: "9", entry: "2026-06-30", due: "2026-07-25", buyer: "RLT",
              lines: [("HD-GRY-M", 72, 13.20)]),
        .init(po: "P00874", supplier: "TEXMFG", status: "1", entry: "2026-08-03", due: "2026-09-05", buyer: "RLT",
              lines: [("TS-WHT-S", 120, 3.95), ("TS-WHT-M", 240, 3.95), ("TS-WHT-L", 180, 3.95), ("TS-WHT-XL", 60, 4.15)]),
        .init(po: "P00875", supplier: "LABELCO", status: "1", entry: "2026-08-04", due: "2026-08-25", buyer: "KMO",
              lines: [("AC-CAP-NAV", 200, 5.80)]),
        .init(po: "P00876", supplier: "PACKCO", status: "*", entry: "2026-07-22", due: "2026-08-01", buyer: "RLT",
              lines: [("AC-SCARF-WOL", 50, 9.60)]),
        .init(po: "P00877", supplier: "DENIMCO", status: "4", entry: "2026-08-01", due: "2026-09-15", buyer: "KMO",
              lines: [("DR-WRP-NAV-S", 36, 18.50), ("DR-WRP-NAV-M", 48, 18.50)]),
    ]

    typealias DemoApInvoice = (supplier: String, invoice: String, journal: Int, date: String, due: String, value: Double, balance: Double)

    /// Posted supplier invoices (ApInvoice rows).
    static let demoApInvoices: [DemoApInvoice] = [
        ("TEXMFG", "TX-44120", 311, "2026-07-26", "2026-08-25", 950.40, 0),
        ("DENIMCO", "BRD-9001", 312, "2026-07-29", "2026-08-28", 3132.00, 3132.00),
        ("PACKCO", "MPS-7781", 313, "2026-08-01", "2026-08-31", 412.65, 412.65),
    ]

    /// Entered, not yet posted: in SYSPRO's invoice register, not in ApInvoice. `ap-post`
    /// posts one, which makes its ApInvoice row.
    static let demoRegisteredApInvoices: [DemoApInvoice] = [
        ("TEXMFG", "TX-44188", 0, "2026-08-04", "2026-09-03", 2415.00, 2415.00),
        ("FREIGHT", "LFS-30412", 0, "2026-08-05", "2026-09-04", 685.20, 685.20),
    ]

    /// The ReqnStatus code of an approved requisition line in the demo. SYSPRO's code
    /// values are unconfirmed (docs/vendors/syspro.md): a site checks its own and sets the
    /// alert rule's `to` accordingly. Blank: entered, not yet approved.
    static let requisitionApproved = "A"

    static let demoRequisitions: [(requisition: String, line: Int, status: String, stockCode: String, qty: Double, price: Double,
                                   supplier: String, buyer: String, originator: String, raised: String, due: String)] = [
        ("R00031", 1, "", "TS-BLK-M", 240, 3.95, "TEXMFG", "KMO", "WAREHOUSE", "2026-08-02", "2026-09-10"),
        ("R00031", 2, "", "TS-BLK-L", 180, 3.95, "TEXMFG", "KMO", "WAREHOUSE", "2026-08-02", "2026-09-10"),
        ("R00032", 1, "", "AC-CAP-NAV", 100, 5.80, "LABELCO", "RLT", "MERCH", "2026-08-04", "2026-09-01"),
        ("R00030", 1, "A", "JN-SLM-IND-34", 48, 21.75, "DENIMCO", "KMO", "MERCH", "2026-07-28", "2026-08-30"),
    ]

    static func addPurchasing(_ db: inout SysproDatabase) {
        for s in suppliers {
            db.insert("ApSupplier", ["Supplier": .string(s.code), "SupplierName": .string(s.name), "Currency": "$", "Telephone": .string(s.phone)])
        }
        for p in demoPurchaseOrders {
            insertPurchaseOrder(&db, po: p.po, supplier: p.supplier, status: p.status, entry: p.entry, due: p.due, buyer: p.buyer, lines: p.lines)
        }
        for a in demoApInvoices { db.insert("ApInvoice", apInvoiceRow(a, journalDate: a.date)) }
        for r in demoRequisitions {
            db.insert("ReqDetail", [
                "Requisition": .string(r.requisition), "Line": .number(Double(r.line)), "ReqnStatus": .string(r.status),
                "StockCode": .string(r.stockCode), "StockDescription": .string(items.first { $0.stockCode == r.stockCode }?.description ?? r.stockCode),
                "OrderQty": .number(r.qty), "Price": .number(r.price), "Supplier": .string(r.supplier), "Buyer": .string(r.buyer),
                "Originator": .string(r.originator), "CurrentHolder": .string(r.status.isEmpty ? r.buyer : r.originator),
                "DateReqnRaised": .date(r.raised + "T00:00:00Z"), "DueDate": .date(r.due + "T00:00:00Z"), "SupCatalogueNum": "",
            ])
        }
    }

    private static func apInvoiceRow(_ a: DemoApInvoice, journalDate: String) -> Row {
        [
            "Supplier": .string(a.supplier), "Invoice": .string(a.invoice),
            "JournalDate": .date(journalDate + "T00:00:00Z"), "Journal": .number(Double(a.journal)),
            "InvoiceYear": .number(2026), "InvoiceMonth": .number(Double(a.date.dropFirst(5).prefix(2))!),
            "InvoiceDate": .date(a.date + "T00:00:00Z"), "DueDate": .date(a.due + "T00:00:00Z"),
            "OrigInvValue": .number(a.value), "MthInvBal1": .number(a.balance), "InvoiceStatus": a.balance == 0 ? "P" : "",
            "Currency": "$",
        ]
    }

    private static func insertPurchaseOrder(_ db: inout SysproDatabase, po: String, supplier: String, status: String, entry: String,
                                            due: String, buyer: String, lines: [(stockCode: String, qty: Double, price: Double)]) {
        db.insert("PorMasterHdr", [
            "PurchaseOrder": .string(po), "Supplier": .string(supplier), "OrderStatus": .string(status),
            "ActiveFlag": status == "*" ? "N" : "Y", "CancelledFlag": status == "*" ? "Y" : "",
            "OrderEntryDate": .date(entry + "T00:00:00Z"), "OrderDueDate": .date(due + "T00:00:00Z"),
            "DatePoCompleted": status == "9" ? .date(due + "T00:00:00Z") : .null, "Buyer": .string(buyer),
        ])
        for (n, l) in lines.enumerated() {
            db.insert("PorMasterDetail", [
                "PurchaseOrder": .string(po), "Line": .number(Double(n + 1)), "MStockCode": .string(l.stockCode),
                "MStockDes": .string(items.first { $0.stockCode == l.stockCode }?.description ?? l.stockCode),
                "MOrderQty": .number(l.qty), "MPrice": .number(l.price), "MWarehouse": "FG",
            ])
        }
    }

    /// Sets a purchase order's OrderStatus like a SYSPRO user would: one UPDATE, so one
    /// new rowversion; completing stamps DatePoCompleted, cancelling the flags.
    static func transitionPurchaseOrder(_ po: String, to status: String, db: inout SysproDatabase, now: Double) -> Bool {
        db.update("PorMasterHdr", where: { $0["PurchaseOrder"] == .string(po) }) { setStatus(&$0, status, now: now) }
    }

    private static func setStatus(_ r: inout Row, _ status: String, now: Double) {
        r["OrderStatus"] = .string(status)
        if status == "9" { r["DatePoCompleted"] = .date(String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z") }
        if status == "*" { r["CancelledFlag"] = "Y"; r["ActiveFlag"] = "N" }
    }

    enum ApPosting: Equatable { case posted, alreadyPosted, unknown }

    /// Posts a registered supplier invoice: its ApInvoice row appears (one INSERT) with
    /// the next AP journal unless one is given. An invoice not in the demo register is
    /// posted from `value` and `due` when given (`value` required).
    static func postApInvoice(supplier: String, invoice: String, journal: Int?, value: Double? = nil, due: String? = nil,
                              db: inout SysproDatabase, now: Double) -> ApPosting {
        if db.first("ApInvoice", where: { $0["Supplier"] == .string(supplier) && $0["Invoice"] == .string(invoice) }) != nil {
            return .alreadyPosted
        }
        let today = String(SandboxClock.iso(now).prefix(10))
        var entry: DemoApInvoice
        if let registered = demoRegisteredApInvoices.first(where: { $0.supplier == supplier && $0.invoice == invoice }) {
            entry = registered
        } else if let value {
            entry = (supplier, invoice, 0, today, due ?? today, value, value)
        } else {
            return .unknown
        }
        let next = Int(db.rows("ApInvoice").compactMap { $0["Journal"]?.number }.max() ?? 0) + 1
        entry.journal = journal ?? next
        db.insert("ApInvoice", apInvoiceRow(entry, journalDate: today))
        return .posted
    }

    /// Approves requisition lines (all of `requisition`, or one `line`): ReqnStatus set to
    /// the approved code, one UPDATE per line. Returns how many lines changed.
    static func approveRequisition(_ requisition: String, line: Int?, db: inout SysproDatabase) -> Int {
        var changed = 0
        for r in db.rows("ReqDetail") where r["Requisition"] == .string(requisition)
            && (line == nil || r["Line"]?.number == Double(line!)) && r["ReqnStatus"] != .string(requisitionApproved) {
            let lineNumber = r["Line"]
            if db.update("ReqDetail", where: { $0["Requisition"] == .string(requisition) && $0["Line"] == lineNumber }, { row in
                row["ReqnStatus"] = .string(requisitionApproved)
                row["CurrentHolder"] = row["Originator"]
            }) { changed += 1 }
        }
        return changed
    }

    /// The benchmark's purchase orders `GP000001`...: status 1 (new, ready to print), one to
    /// four lines, suppliers in turn.
    static func generatePurchaseOrders(_ count: Int, db: inout SysproDatabase) {
        let first = db.rows("PorMasterHdr").filter { $0["PurchaseOrder"]?.string?.hasPrefix("GP") == true }.count + 1
        for i in first..<(first + count) {
            let po = "GP" + String(repeating: "0", count: max(0, 6 - String(i).count)) + String(i)
            let lines = (0..<(1 + i % 4)).map { n -> (stockCode: String, qty: Double, price: Double) in
                let item = items[(i * 5 + n * 3) % items.count]
                return (item.stockCode, Double(12 * (1 + (i + n) % 10)), (item.price * 0.3 * 100).rounded() / 100)
            }
            insertPurchaseOrder(&db, po: po, supplier: suppliers[i % suppliers.count].code, status: "1",
                                entry: "2026-08-01", due: "2026-09-01", buyer: i % 2 == 0 ? "KMO" : "RLT", lines: lines)
        }
    }

    /// Moves `count` generated purchase orders one status on (1 -> 4 -> 9), each a
    /// different order while there are enough, the least advanced first, so one poll
    /// after the call sees every transition. Returns how many were made (orders at 9 do
    /// not move).
    static func generateTransitions(_ count: Int, db: inout SysproDatabase) -> Int {
        let order = ["1", "4", "9"], now = SandboxClock.now()
        // Statuses as they were before this call: an order moved here is not moved again.
        let before = db.rows("PorMasterHdr")
        var made = 0
        for (k, status) in order.dropLast().enumerated() where made < count {
            for (i, r) in before.enumerated() where made < count && r["OrderStatus"] == .string(status)
                && r["PurchaseOrder"]?.string?.hasPrefix("GP") == true {
                let v = db.bump()
                db.tables["PorMasterHdr"]!.update(at: i, version: v) { setStatus(&$0, order[k + 1], now: now) }
                made += 1
            }
        }
        return made
    }
}
