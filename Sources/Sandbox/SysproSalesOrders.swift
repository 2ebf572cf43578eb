import ConnectorKit
import Foundation

/// SORTOI, sales order import (api-notes, SYSPRO): `<SalesOrders><Orders>` with an
/// OrderHeader and StockLines, several Orders per XmlIn. Action `A` adds an order and
/// allocates its stock; action `C` changes the shipping/special instructions of one.
/// Error numbers are the sandbox's own (SYSPRO's are not documented to us).
enum SalesOrderImport {
    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let checkPo = params?.value("CheckForCustomerPoNumbers")?.uppercased() == "Y"
        let warehouseList = (params?.value("WarehouseListToUse") ?? "").split(separator: ",").map { String($0).trimmed.uppercased() }
        var body = ""
        var processed = 0, invalid = 0
        for orders in xmlIn.all("Orders") {
            let header = orders.first("OrderHeader")
            let action = header?.value("OrderActionType")?.uppercased() ?? "A"
            let result: (xml: String, ok: Bool)
            switch action {
            case "A": result = add(header, orders.all("StockLine"), checkPo: checkPo, warehouseList: warehouseList, &db, now)
            case "C": result = change(header, &db)
            default:
                result = (orderXML(header, action: action, salesOrder: nil,
                                   SysproXML.error("OrderActionType", value: action, number: 100009, "Invalid order action type")), false)
            }
            body += result.xml
            if result.ok { processed += 1 } else { invalid += 1 }
        }
        return SysproXML.document(root: "SalesOrders", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }

    private static func orderXML(_ header: XMLElement?, action: String, salesOrder: String?, _ errors: String = "") -> String {
        "<Order>\n" + XML.element("CustomerPoNumber", header?.value("CustomerPoNumber") ?? "") + "\n"
            + XML.element("OrderActionType", action) + "\n"
            + (salesOrder.map { XML.element("SalesOrder", $0) } ?? "<SalesOrder/>") + "\n" + errors + "</Order>\n"
    }

    private static func add(_ header: XMLElement?, _ lines: [XMLElement], checkPo: Bool, warehouseList: [String],
                            _ db: inout SysproDatabase, _ now: Double) -> (String, Bool) {
        var errors = ""
        let customerCode = header?.value("Customer")?.uppercased() ?? ""
        let customer = db.first("ArCustomer") { $0["Customer"]?.string == customerCode }
        if customer == nil {
            errors += SysproXML.error("Customer", value: customerCode, number: 100001, "Customer not found")
        }
        let po = header?.value("CustomerPoNumber") ?? ""
        if po.count > 30 {
            errors += SysproXML.error("CustomerPoNumber", value: po, number: 100004,
                                      "Customer purchase order number may not exceed 30 characters")
        } else if checkPo, !po.isEmpty,
                  let existing = db.first("SorMaster", where: { $0["Customer"]?.string == customerCode && $0["CustomerPoNumber"]?.string == po }) {
            errors += SysproXML.error("CustomerPoNumber", value: po, number: 100005,
                                      "Customer purchase order number already exists on sales order \(existing["SalesOrder"]?.string ?? "")")
        }
        let orderDate: String
        if let d = header?.value("OrderDate") {
            guard d.count == 10, (try? Date.ISO8601FormatStyle().year().month().day().parse(d)) != nil else {
                errors += SysproXML.error("OrderDate", value: d, number: 100007, "Invalid order date")
                return (orderXML(header, action: "A", salesOrder: nil, errors), false)
            }
            orderDate = d + "T00:00:00Z"
        } else {
            orderDate = String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z"
        }
        if lines.isEmpty {
            errors += SysproXML.error("OrderDetails", value: "", number: 100008, "Sales order has no lines")
        }

        struct Line { let code: String, description: String, warehouse: String, qty: Double, price: Double, poLine: String }
        let snapshot = db
        var good: [Line] = []
        var lineErrors = ""
        for (n, line) in lines.enumerated() {
            let poLine = line.value("CustomerPoLine") ?? String(n + 1)
            var errs = ""
            let code = line.value("StockCode")?.uppercased() ?? ""
            let master = db.first("InvMaster") { $0["StockCode"]?.string == code }
            let stocked = { (wh: String) in
                snapshot.first("InvWarehouse") { $0["StockCode"]?.string == code && $0["Warehouse"]?.string == wh } != nil
            }
            var warehouse = line.value("Warehouse")?.uppercased() ?? ""
            if master == nil {
                errs += SysproXML.error("StockCode", value: code, number: 100002, "Stock code not found")
            } else {
                if warehouse.isEmpty {
                    warehouse = warehouseList.first(where: stocked) ?? master?["WarehouseToUse"]?.string ?? ""
                }
                if !stocked(warehouse) {
                    errs += SysproXML.error("Warehouse", value: warehouse, number: 100003,
                                            "Stock code \(code) is not stocked in warehouse \(warehouse)")
                }
            }
            let qtyText = line.value("OrderQty") ?? ""
            let qty = Double(qtyText) ?? 0
            if qty <= 0 {
                errs += SysproXML.error("OrderQty", value: qtyText, number: 100006, "Order quantity must be greater than zero")
            }
            let listPrice = db.first("InvPrice") { $0["StockCode"]?.string == code && $0["PriceCode"]?.string == "A" }?["SellingPrice"]?.number
            let price = line.value("Price").flatMap(Double.init) ?? listPrice ?? 0
            if errs.isEmpty {
                good.append(Line(code: code, description: master?["Description"]?.string ?? "", warehouse: warehouse,
                                 qty: qty, price: price, poLine: poLine))
            } else {
                lineErrors += "<StockLine>\n" + XML.element("CustomerPoLine", poLine) + "\n" + errs + "</StockLine>\n"
            }
        }
        if !lineErrors.isEmpty { errors += "<OrderDetails>\n" + lineErrors + "</OrderDetails>\n" }
        guard errors.isEmpty, let customer else { return (orderXML(header, action: "A", salesOrder: nil, errors), false) }

        let salesOrder = SysproXML.pad(db.nextSalesOrder)
        db.nextSalesOrder += 1
        var master: Row = [
            "SalesOrder": .string(salesOrder), "Customer": .string(customerCode), "CustomerPoNumber": .string(po),
            "OrderStatus": "1", "CancelledFlag": "", "OrderDate": .date(orderDate),
            "CustomerName": .string(header?.value("CustomerName") ?? customer["Name"]?.string ?? ""),
        ]
        for f in ["ShipAddress1", "ShipAddress2", "ShipAddress3", "ShipAddress4", "ShipAddress5", "ShipPostalCode",
                  "Email", "ShippingInstrs", "SpecialInstrs"] {
            master[f] = .string(header?.value(f) ?? "")
        }
        db.insert("SorMaster", master)
        for (n, l) in good.enumerated() {
            db.insert("SorDetail", [
                "SalesOrder": .string(salesOrder), "SalesOrderLine": .number(Double(n + 1)), "LineType": "1",
                "MStockCode": .string(l.code), "MStockDes": .string(l.description), "MWarehouse": .string(l.warehouse),
                "MOrderQty": .number(l.qty), "MPrice": .number(l.price), "MCustomerPoLine": .string(l.poLine),
            ])
            db.update("InvWarehouse", where: { $0["StockCode"]?.string == l.code && $0["Warehouse"]?.string == l.warehouse }) {
                $0["QtyAllocated"] = .number(($0["QtyAllocated"]?.number ?? 0) + l.qty)
            }
        }
        return (orderXML(header, action: "A", salesOrder: salesOrder), true)
    }

    /// Action C: finds the order by SalesOrder, else by CustomerPoNumber (and Customer if given).
    private static func change(_ header: XMLElement?, _ db: inout SysproDatabase) -> (String, Bool) {
        let key = header?.value("SalesOrder").map(SysproXML.salesOrderKey)
        let po = header?.value("CustomerPoNumber")
        let customer = header?.value("Customer")?.uppercased()
        let match: (Row) -> Bool = { r in
            if let key { return r["SalesOrder"]?.string == key }
            return po != nil && r["CustomerPoNumber"]?.string == po && (customer == nil || r["Customer"]?.string == customer)
        }
        guard let found = db.first("SorMaster", where: match), let salesOrder = found["SalesOrder"]?.string else {
            return (orderXML(header, action: "C", salesOrder: nil,
                             SysproXML.error("SalesOrder", value: key ?? po ?? "", number: 100010, "Sales order not found")), false)
        }
        db.update("SorMaster", where: { $0["SalesOrder"]?.string == salesOrder }) { r in
            for f in ["ShippingInstrs", "SpecialInstrs"] {
                if let v = header?.first(f)?.trimmedText { r[f] = .string(v) }
            }
        }
        return (orderXML(header, action: "C", salesOrder: salesOrder), true)
    }
}

/// SORTOS, sales order status change (api-notes: `<PostSorOrderStatus><Item>` SalesOrder,
/// NewOrderStatus; status codes 0-4, 8, 9, `*` and `\` cancelled, S suspended, F forward).
enum SalesOrderStatus {
    static let validStatuses: Set<String> = ["0", "1", "2", "3", "4", "8", "9", "*", "\\", "S", "F"]

    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        var body = ""
        var processed = 0, invalid = 0
        for item in xmlIn.all("Item") {
            let key = SysproXML.salesOrderKey(item.value("SalesOrder") ?? "")
            let newStatus = item.value("NewOrderStatus")?.uppercased() ?? ""
            var errors = ""
            let current = db.first("SorMaster") { $0["SalesOrder"]?.string == key }
            if current == nil { errors += SysproXML.error("SalesOrder", value: key, number: 100010, "Sales order not found") }
            if !validStatuses.contains(newStatus) {
                errors += SysproXML.error("NewOrderStatus", value: newStatus, number: 100011, "Invalid order status")
            }
            let old = current?["OrderStatus"]?.string ?? ""
            if errors.isEmpty {
                db.update("SorMaster", where: { $0["SalesOrder"]?.string == key }) {
                    $0["OrderStatus"] = .string(newStatus)
                    if newStatus == "\\" || newStatus == "*" { $0["CancelledFlag"] = "Y" }
                }
                if newStatus == "9" { relieveStock(salesOrder: key, &db, now) }
                processed += 1
            } else {
                invalid += 1
            }
            body += "<Item>\n" + XML.element("SalesOrder", key) + "\n" + XML.element("OrderStatus", old) + "\n"
                + XML.element("NewOrderStatus", newStatus) + "\n" + errors + "</Item>\n"
        }
        return SysproXML.document(root: "PostSorOrderStatus", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }

    /// Completing an order (status 9) ships its goods in SYSPRO's books: per stock line,
    /// QtyOnHand falls by the ordered quantity and the allocation SORTOI's add made
    /// (QtyAllocated) is released, with one InvMovements row per line (TrnType "S",
    /// Reference = the sales order). Once per order: a second 9 (after a status went back
    /// and forth) finds the "S" rows and relieves nothing. The inventory variance job relies
    /// on stock being relieved exactly when an order reaches 9.
    static func relieveStock(salesOrder: String, _ db: inout SysproDatabase, _ now: Double) {
        let relieved = db.first("InvMovements") { $0["TrnType"]?.string == "S" && $0["Reference"]?.string == salesOrder } != nil
        let lines = db.rows("SorDetail").filter { $0["SalesOrder"]?.string == salesOrder && $0["LineType"]?.string == "1" }
        guard !relieved, !lines.isEmpty else { return }
        let journal = db.nextJournal
        db.nextJournal += 1
        let today = String(SandboxClock.iso(now).prefix(10)) + "T00:00:00Z"
        for (n, line) in lines.enumerated() {
            let code = line["MStockCode"]?.string ?? "", wh = line["MWarehouse"]?.string ?? ""
            let qty = line["MOrderQty"]?.number ?? 0
            db.update("InvWarehouse", where: { $0["StockCode"]?.string == code && $0["Warehouse"]?.string == wh }) {
                $0["QtyOnHand"] = .number(($0["QtyOnHand"]?.number ?? 0) - qty)
                $0["QtyAllocated"] = .number(max(0, ($0["QtyAllocated"]?.number ?? 0) - qty))
            }
            db.insert("InvMovements", [
                "StockCode": .string(code), "Warehouse": .string(wh), "EntryDate": .date(today), "MovementType": "S",
                "TrnType": "S", "TrnQty": .number(-qty), "Journal": .number(Double(journal)),
                "JournalEntry": .number(Double(n + 1)), "Reference": .string(salesOrder), "Notation": "Sales order complete",
            ])
        }
    }
}
