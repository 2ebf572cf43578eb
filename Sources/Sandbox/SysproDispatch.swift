import ConnectorKit
import ENetXML
import Foundation

/// What ends a sales order in the sandbox, through the business objects
/// docs/vendors/syspro.md names ("Shipped orders relieve stock through dispatch notes",
/// "Cancelled orders go through SORTOX"): SORTDN dispatch notes relieve stock in the line's
/// warehouse (the only place stock leaves for a sales order), SORTNC invoices a dispatch
/// note (an ArInvoice), SORTOX cancels an order and releases its allocations.
enum SalesOrderDispatch {
    /// Dispatch notes may be posted while the order is open, in back order, in warehouse or
    /// ready to invoice; not in suspense, complete or cancelled.
    static let dispatchable: Set<String> = ["1", "2", "3", "4", "8"]

    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let validateOnly = params?.value("ValidateOnly")?.trimmed.uppercased() == "Y"
        var body = ""
        var processed = 0, invalid = 0
        for note in xmlIn.all("DispatchNote") where note.first("DispatchHeader") != nil {
            let header = note.first("DispatchHeader")
            let so = SysproXML.salesOrderKey(header?.value("SalesOrder") ?? "")
            var errors = ""
            let master = db.first("SorMaster") { $0["SalesOrder"]?.string == so }
            if let master {
                let status = master["OrderStatus"]?.string ?? ""
                if master["CancelledFlag"]?.string == "Y" || !dispatchable.contains(status) {
                    errors += SysproXML.error("SalesOrder", value: so, number: 100020, "Sales order status \(status) cannot be dispatched")
                }
            } else {
                errors += SysproXML.error("SalesOrder", value: so, number: 100010, "Sales order not found")
            }
            struct Take { let line: Row, qty: Double }
            var takes: [Take] = []
            let merchandise = note.all("MerchandiseLine")
            if merchandise.isEmpty { errors += SysproXML.error("DispatchDetails", value: "", number: 100021, "Dispatch note has no lines") }
            for m in merchandise {
                let lineText = m.value("SalesOrderLine") ?? ""
                let qtyText = m.value("DispatchQty") ?? ""
                guard let line = db.first("SorDetail", where: { $0["SalesOrder"]?.string == so && $0["LineType"]?.string == "1"
                    && $0["SalesOrderLine"]?.number == Double(lineText) }) else {
                    errors += SysproXML.error("SalesOrderLine", value: lineText, number: 100022, "Sales order line not found")
                    continue
                }
                let open = (line["MOrderQty"]?.number ?? 0) - (line["MQtyDispatched"]?.number ?? 0)
                guard let qty = Double(qtyText), qty > 0, qty <= open + 1e-9 else {
                    errors += SysproXML.error("DispatchQty", value: qtyText, number: 100023,
                                              "Dispatch quantity must be above zero and at most \(SysproXML.number(open)) on line \(lineText)")
                    continue
                }
                takes.append(Take(line: line, qty: qty))
            }
            var number: String?
            if errors.isEmpty, !validateOnly, let master {
                let dn = SysproXML.pad(db.nextDispatchNote)
                db.nextDispatchNote += 1
                number = dn
                let journal = db.nextJournal
                db.nextJournal += 1
                let today = String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z"
                db.insert("MdnMaster", [
                    "DispatchNote": .string(dn), "SalesOrder": .string(so), "Customer": master["Customer"] ?? "",
                    "CustomerPoNumber": master["CustomerPoNumber"] ?? "", "DispatchNoteStatus": "7",
                    "SpecialInstrs": .string(header?.value("SpecialInstrs") ?? ""),
                    "ShippingInstrs": .string(header?.value("ShippingInstrs") ?? ""), "Invoice": "",
                ])
                for (n, t) in takes.enumerated() {
                    let code = t.line["MStockCode"]?.string ?? "", wh = t.line["MWarehouse"]?.string ?? ""
                    let lineNo = t.line["SalesOrderLine"]?.number ?? 0
                    db.insert("MdnDetail", [
                        "DispatchNote": .string(dn), "DispatchNoteLine": .number(Double(n + 1)), "SalesOrderLine": .number(lineNo),
                        "MStockCode": .string(code), "MWarehouse": .string(wh), "MQtyToDispatch": .number(t.qty),
                        "MPrice": t.line["MPrice"] ?? .number(0),
                    ])
                    db.update("SorDetail", where: { $0["SalesOrder"]?.string == so && $0["SalesOrderLine"]?.number == lineNo }) {
                        $0["MQtyDispatched"] = .number(($0["MQtyDispatched"]?.number ?? 0) + t.qty)
                    }
                    db.update("InvWarehouse", where: { $0["StockCode"]?.string == code && $0["Warehouse"]?.string == wh }) {
                        $0["QtyOnHand"] = .number(($0["QtyOnHand"]?.number ?? 0) - t.qty)
                        $0["QtyAllocated"] = .number(max(0, ($0["QtyAllocated"]?.number ?? 0) - t.qty))
                    }
                    db.insert("InvMovements", [
                        "StockCode": .string(code), "Warehouse": .string(wh), "EntryDate": .date(today), "MovementType": "S",
                        "TrnType": "S", "TrnQty": .number(-t.qty), "Journal": .number(Double(journal)),
                        "JournalEntry": .number(Double(n + 1)), "Reference": .string(so), "Notation": .string("Dispatch note \(dn)"),
                    ])
                }
                // Nothing left to dispatch: the order is complete.
                let open = db.rows("SorDetail").filter { $0["SalesOrder"]?.string == so && $0["LineType"]?.string == "1" }
                    .contains { ($0["MOrderQty"]?.number ?? 0) - ($0["MQtyDispatched"]?.number ?? 0) > 1e-9 }
                if !open { db.update("SorMaster", where: { $0["SalesOrder"]?.string == so }) { $0["OrderStatus"] = "9" } }
            }
            if errors.isEmpty { processed += 1 } else { invalid += 1 }
            body += "<DispatchNote>\n" + XML.element("SalesOrder", so) + "\n"
                + (number.map { XML.element("DispatchNoteNumber", $0) + "\n" } ?? "") + errors + "</DispatchNote>\n"
        }
        return SysproXML.document(root: "PostDispatchNotes", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }
}

/// SORTNC: the invoice of a dispatch note at status 7; the note goes to 9 (invoiced).
enum DispatchInvoice {
    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let validateOnly = params?.value("ValidateOnly")?.trimmed.uppercased() == "Y"
        var body = ""
        var processed = 0, invalid = 0
        for item in xmlIn.all("Item") {
            let dn = item.value("DispatchNote")?.trimmed ?? ""
            var errors = ""
            let note = db.first("MdnMaster") { $0["DispatchNote"]?.string == dn }
            if note == nil {
                errors += SysproXML.error("DispatchNote", value: dn, number: 100030, "Dispatch note not found")
            } else if note?["DispatchNoteStatus"]?.string != "7" {
                errors += SysproXML.error("DispatchNote", value: dn, number: 100031, "Dispatch note is not ready to invoice")
            }
            var invoice: String?
            if errors.isEmpty, !validateOnly, let note {
                let number = String(db.nextInvoice)
                db.nextInvoice += 1
                invoice = number
                let customer = note["Customer"]?.string ?? ""
                let terms = db.first("ArCustomer") { $0["Customer"]?.string == customer }?["TermsCode"] ?? ""
                let today = String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z"
                let lines = db.rows("MdnDetail").filter { $0["DispatchNote"]?.string == dn }
                var total = 0.0
                for (n, l) in lines.enumerated() {
                    let value = (l["MQtyToDispatch"]?.number ?? 0) * (l["MPrice"]?.number ?? 0)
                    total += value
                    db.insert("ArTrnDetail", [
                        "Invoice": .string(number), "DetailLine": .number(Double(n + 1)), "DocumentType": "I", "Customer": .string(customer),
                        "SalesOrder": note["SalesOrder"] ?? "", "SalesOrderLine": l["SalesOrderLine"] ?? .number(0), "LineType": "1",
                        "StockCode": l["MStockCode"] ?? "", "Warehouse": l["MWarehouse"] ?? "", "QtyInvoiced": l["MQtyToDispatch"] ?? .number(0),
                        "NetSalesValue": .number(value), "InvoiceDate": .date(today),
                    ])
                }
                db.insert("ArInvoice", [
                    "Customer": .string(customer), "Invoice": .string(number), "DocumentType": "I", "InvoiceDate": .date(today),
                    "SalesOrder": note["SalesOrder"] ?? "", "CustomerPoNumber": note["CustomerPoNumber"] ?? "", "TermsCode": terms,
                    "InvoiceBal1": .number(total), "CurrencyValue": .number(total),
                ])
                db.update("MdnMaster", where: { $0["DispatchNote"]?.string == dn }) {
                    $0["DispatchNoteStatus"] = "9"
                    $0["Invoice"] = .string(number)
                }
            }
            if errors.isEmpty { processed += 1 } else { invalid += 1 }
            body += "<Item>\n" + XML.element("DispatchNote", dn) + "\n" + (invoice.map { XML.element("Invoice", $0) + "\n" } ?? "")
                + errors + "</Item>\n"
        }
        return SysproXML.document(root: "PostDispatchInvoice", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }
}

/// SORTOX: cancels a whole order (no SalesOrderLine) or one line. A complete or cancelled
/// order is refused. Cancelling releases what the order still had allocated.
enum SalesOrderCancel {
    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let validateOnly = params?.value("ValidateOnly")?.trimmed.uppercased() == "Y"
        var body = ""
        var processed = 0, invalid = 0
        for item in xmlIn.all("Item") {
            let so = SysproXML.salesOrderKey(item.value("SalesOrder") ?? "")
            let lineText = item.value("SalesOrderLine")?.trimmed ?? ""
            var errors = ""
            let master = db.first("SorMaster") { $0["SalesOrder"]?.string == so }
            let status = master?["OrderStatus"]?.string ?? ""
            if master == nil {
                errors += SysproXML.error("SalesOrder", value: so, number: 100010, "Sales order not found")
            } else if master?["CancelledFlag"]?.string == "Y" || ["*", "\\"].contains(status) {
                errors += SysproXML.error("SalesOrder", value: so, number: 100040, "Sales order is already cancelled")
            } else if status == "9" {
                errors += SysproXML.error("SalesOrder", value: so, number: 100041, "Sales order is complete")
            }
            let lines = db.rows("SorDetail").filter { $0["SalesOrder"]?.string == so && $0["LineType"]?.string == "1"
                && (lineText.isEmpty || $0["SalesOrderLine"]?.number == Double(lineText)) }
            if !lineText.isEmpty, lines.isEmpty {
                errors += SysproXML.error("SalesOrderLine", value: lineText, number: 100022, "Sales order line not found")
            }
            if errors.isEmpty, !validateOnly {
                for l in lines {
                    let open = (l["MOrderQty"]?.number ?? 0) - (l["MQtyDispatched"]?.number ?? 0)
                    let code = l["MStockCode"]?.string ?? "", wh = l["MWarehouse"]?.string ?? ""
                    db.update("InvWarehouse", where: { $0["StockCode"]?.string == code && $0["Warehouse"]?.string == wh }) {
                        $0["QtyAllocated"] = .number(max(0, ($0["QtyAllocated"]?.number ?? 0) - open))
                    }
                    db.update("SorDetail", where: { $0["SalesOrder"]?.string == so && $0["SalesOrderLine"] == l["SalesOrderLine"] }) {
                        $0["MOrderQty"] = $0["MQtyDispatched"] ?? .number(0)
                    }
                }
                if lineText.isEmpty {
                    db.update("SorMaster", where: { $0["SalesOrder"]?.string == so }) {
                        $0["OrderStatus"] = "\\"
                        $0["CancelledFlag"] = "Y"
                    }
                }
            }
            if errors.isEmpty { processed += 1 } else { invalid += 1 }
            body += "<Item>\n" + XML.element("SalesOrder", so) + "\n" + errors + "</Item>\n"
        }
        return SysproXML.document(root: "PostSalesOrderCancel", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }
}
