import ConnectorKit
import ENetXML
import Foundation

/// INVTMR receipts (`<PostInvReceipts>`) and INVTMA adjustments (`<PostInvAdjustments>`).
/// Each posted item moves QtyOnHand and leaves an InvMovements row carrying its Reference:
/// SYSPRO does not refuse a Reference it has seen, so a retried post shows up there twice,
/// which is what idempotency tests look for. A multi-bin warehouse refuses an item without
/// a bin, a lot-traceable stock code one without a lot, and a successful answer comes in
/// the shape `SysproMovementSettings.answerShape` says (docs/vendors/syspro.md, "INVTMR and
/// INVTMA answers", "INVTMR and INVTMA documents: bins and lots").
enum InventoryPosting {
    enum Kind {
        case receipt, adjustment
        var root: String { self == .receipt ? "PostInvReceipts" : "PostInvAdjustments" }
        var trnType: String { self == .receipt ? "R" : "A" }
    }

    static func post(_ kind: Kind, _ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double,
                     _ settings: SysproMovementSettings) -> Reply {
        let validateOnly = params?.value("ValidateOnly")?.uppercased() == "Y"
        let wholeDocument = params?.value("ApplyIfEntireDocumentValid")?.uppercased() == "Y"
        struct Item { let warehouse: String, code: String, qty: Double, reference: String, notation: String, errors: String }
        let items: [Item] = xmlIn.all("Item").map { x in
            let wh = x.value("Warehouse")?.uppercased() ?? ""
            let code = x.value("StockCode")?.uppercased() ?? ""
            let qtyText = x.value("Quantity") ?? ""
            var errors = ""
            let onHand = db.first("InvWarehouse") { $0["StockCode"]?.string == code && $0["Warehouse"]?.string == wh }?["QtyOnHand"]?.number
            if db.first("InvMaster", where: { $0["StockCode"]?.string == code }) == nil {
                errors += SysproXML.error("StockCode", value: code, number: 200001, "Stock code not found")
            } else if onHand == nil {
                errors += SysproXML.error("Warehouse", value: wh, number: 200002, "Stock code \(code) is not stocked in warehouse \(wh)")
            }
            let qty = Double(qtyText)
            switch (kind, qty) {
            case (_, nil), (.receipt, .some(...0)), (.adjustment, .some(0)):
                errors += SysproXML.error("Quantity", value: qtyText, number: 200003, "Invalid quantity")
            case (.adjustment, .some(let q)) where (onHand ?? 0) + q < 0:
                errors += SysproXML.error("Quantity", value: qtyText, number: 200004, "Quantity on hand may not become negative")
            default: break
            }
            // INVTMR takes bins in a <Bins> block, INVTMA a BinLocation on the item.
            let bin = (kind == .receipt ? x.first("Bins")?.value("BinLocation") : x.value("BinLocation")) ?? ""
            if settings.multiBinWarehouses.contains(wh), bin.isEmpty {
                errors += SysproXML.error("BinLocation", value: bin, number: 200011, "Bin location is required for warehouse \(wh), which uses multiple bins")
            }
            let lot = x.value("Lot") ?? ""
            if settings.lotTraceableStockCodes.contains(code), lot.isEmpty {
                errors += SysproXML.error("Lot", value: lot, number: 200012, "Lot is required for lot traceable stock code \(code)")
            }
            return Item(warehouse: wh, code: code, qty: qty ?? 0, reference: x.value("Reference") ?? "",
                        notation: x.value("Notation") ?? "", errors: errors)
        }
        let invalid = items.filter { !$0.errors.isEmpty }.count
        let apply = !validateOnly && !(wholeDocument && invalid > 0)
        let journal = apply && invalid < items.count ? db.nextJournal : nil
        if journal != nil { db.nextJournal += 1 }
        let today = String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z"
        var body = ""
        var entry = 0
        let portor = settings.answerShape == .portor && invalid == 0
        for (n, it) in items.enumerated() {
            var lineJournal = ""
            if apply, it.errors.isEmpty, let journal {
                entry += 1
                db.update("InvWarehouse", where: { $0["StockCode"]?.string == it.code && $0["Warehouse"]?.string == it.warehouse }) {
                    $0["QtyOnHand"] = .number(($0["QtyOnHand"]?.number ?? 0) + it.qty)
                }
                db.insert("InvMovements", [
                    "StockCode": .string(it.code), "Warehouse": .string(it.warehouse), "EntryDate": .date(today),
                    "MovementType": "I", "TrnType": .string(kind.trnType), "TrnQty": .number(it.qty),
                    "Journal": .number(Double(journal)), "JournalEntry": .number(Double(entry)),
                    "Reference": .string(it.reference), "Notation": .string(it.notation),
                ])
                lineJournal = XML.element("Journal", SysproXML.pad(journal)) + "\n" + XML.element("JournalEntry", SysproXML.pad(entry, 4)) + "\n"
            }
            if portor {
                body += "<Item>\n<Key>\n" + XML.element("Warehouse", it.warehouse) + "\n" + XML.element("StockCode", it.code)
                    + "\n</Key>\n" + XML.element("ItemNumber", SysproXML.pad(n + 1)) + "\n</Item>\n"
                continue
            }
            body += "<Item>\n" + lineJournal + XML.element("Warehouse", it.warehouse) + "\n" + XML.element("StockCode", it.code) + "\n"
                + XML.element("Quantity", SysproXML.number(it.qty)) + "\n" + XML.element("Reference", it.reference) + "\n"
                + it.errors + "</Item>\n"
        }
        let processed = apply ? items.count - invalid : 0
        return SysproXML.document(root: kind.root, body + (portor ? "" : SysproXML.statusOfItems(processed: processed, invalid: invalid)))
    }
}
