import ConnectorKit
import Foundation

/// What the SMS alerts read from SYSPRO: suppliers (ApSupplier), purchase orders
/// (PorMasterHdr with PorMasterDetail lines) and supplier invoices (ApInvoice), with the
/// columns api-notes lists (SYSPRO "Tables and columns"). PorMasterHdr has no approval
/// columns: an approval is an OrderStatus transition. The status codes used here (0 in
/// process, awaiting approval; 1 open; 4 printed, sent to the supplier; 9 complete; `*`
/// cancelled) mirror the sales-order codes api-notes gives and are unconfirmed for
/// purchase orders. An AP invoice is posted once it carries its Journal (and
/// JournalDate); an unposted one has Journal 0, as SYSPRO's numeric columns are not null.
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
        .init(po: "P00874", supplier: "TEXMFG", status: "0", entry: "2026-08-03", due: "2026-09-05", buyer: "RLT",
              lines: [("TS-WHT-S", 120, 3.95), ("TS-WHT-M", 240, 3.95), ("TS-WHT-L", 180, 3.95), ("TS-WHT-XL", 60, 4.15)]),
        .init(po: "P00875", supplier: "LABELCO", status: "0", entry: "2026-08-04", due: "2026-08-25", buyer: "KMO",
              lines: [("AC-CAP-NAV", 200, 5.80)]),
        .init(po: "P00876", supplier: "PACKCO", status: "*", entry: "2026-07-22", due: "2026-08-01", buyer: "RLT",
              lines: [("AC-SCARF-WOL", 50, 9.60)]),
        .init(po: "P00877", supplier: "DENIMCO", status: "1", entry: "2026-08-01", due: "2026-09-15", buyer: "KMO",
              lines: [("DR-WRP-NAV-S", 36, 18.50), ("DR-WRP-NAV-M", 48, 18.50)]),
    ]

    /// Journal 0: entered, not yet posted to the general ledger.
    static let demoApInvoices: [(supplier: String, invoice: String, journal: Int, date: String, due: String, value: Double, balance: Double)] = [
        ("TEXMFG", "TX-44120", 311, "2026-07-26", "2026-08-25", 950.40, 0),
        ("DENIMCO", "BRD-9001", 312, "2026-07-29", "2026-08-28", 3132.00, 3132.00),
        ("PACKCO", "MPS-7781", 313, "2026-08-01", "2026-08-31", 412.65, 412.65),
        ("TEXMFG", "TX-44188", 0, "2026-08-04", "2026-09-03", 2415.00, 2415.00),
        ("FREIGHT", "LFS-30412", 0, "2026-08-05", "2026-09-04", 685.20, 685.20),
    ]

    static func addPurchasing(_ db: inout SysproDatabase) {
        for s in suppliers {
            db.insert("ApSupplier", ["Supplier": .string(s.code), "SupplierName": .string(s.name), "Currency": "$", "Telephone": .string(s.phone)])
        }
        for p in demoPurchaseOrders {
            insertPurchaseOrder(&db, po: p.po, supplier: p.supplier, status: p.status, entry: p.entry, due: p.due, buyer: p.buyer, lines: p.lines)
        }
        for a in demoApInvoices {
            db.insert("ApInvoice", [
                "Supplier": .string(a.supplier), "Invoice": .string(a.invoice),
                "JournalDate": a.journal == 0 ? .null : .date(a.date + "T00:00:00Z"), "Journal": .number(Double(a.journal)),
                "InvoiceYear": .number(2026), "InvoiceMonth": .number(Double(a.date.dropFirst(5).prefix(2))!),
                "InvoiceDate": .date(a.date + "T00:00:00Z"), "DueDate": .date(a.due + "T00:00:00Z"),
                "OrigInvValue": .number(a.value), "MthInvBal1": .number(a.balance), "InvoiceStatus": a.balance == 0 ? "P" : "",
                "Currency": "$",
            ])
        }
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

    /// Posts an AP invoice to the general ledger: Journal (the next AP journal unless
    /// given) and JournalDate set in one UPDATE.
    static func postApInvoice(supplier: String, invoice: String, journal: Int?, db: inout SysproDatabase, now: Double) -> Bool {
        let next = (db.rows("ApInvoice").compactMap { $0["Journal"]?.number }.max() ?? 0) + 1
        return db.update("ApInvoice", where: { $0["Supplier"] == .string(supplier) && $0["Invoice"] == .string(invoice) }) { r in
            r["Journal"] = .number(journal.map(Double.init) ?? next)
            r["JournalDate"] = .date(String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z")
        }
    }

    /// The benchmark's purchase orders `GP000001`...: status 0 (awaiting approval), one to
    /// four lines, suppliers in turn.
    static func generatePurchaseOrders(_ count: Int, db: inout SysproDatabase) {
        let first = db.rows("PorMasterHdr").filter { $0["PurchaseOrder"]?.string?.hasPrefix("GP") == true }.count + 1
        for i in first..<(first + count) {
            let po = "GP" + String(repeating: "0", count: max(0, 6 - String(i).count)) + String(i)
            let lines = (0..<(1 + i % 4)).map { n -> (stockCode: String, qty: Double, price: Double) in
                let item = items[(i * 5 + n * 3) % items.count]
                return (item.stockCode, Double(12 * (1 + (i + n) % 10)), (item.price * 0.3 * 100).rounded() / 100)
            }
            insertPurchaseOrder(&db, po: po, supplier: suppliers[i % suppliers.count].code, status: "0",
                                entry: "2026-08-01", due: "2026-09-01", buyer: i % 2 == 0 ? "KMO" : "RLT", lines: lines)
        }
    }

    /// Moves `count` generated purchase orders one status on (0 -> 1 -> 4 -> 9), each a
    /// different order while there are enough, the least advanced first, so one poll
    /// after the call sees every transition. Returns how many were made (orders at 9 do
    /// not move).
    static func generateTransitions(_ count: Int, db: inout SysproDatabase) -> Int {
        let order = ["0", "1", "4", "9"], now = SandboxClock.now()
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
