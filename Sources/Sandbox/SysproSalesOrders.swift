import ConnectorKit
import ENetXML
import Foundation

/// SORTOI, sales order import (docs/vendors/syspro.md, "SORTOI parameters"):
/// `<SalesOrders><Orders>` with an OrderHeader and StockLines, several Orders per XmlIn.
/// Action `A` adds an order and allocates its stock; action `C` changes the shipping/special
/// instructions of one. The parameters act as the XSD documents them: AllowDuplicateOrderNumbers
/// N (the default) refuses a customer PO the customer already has and A never checks;
/// CheckForCustomerPoNumbers Y (the default) only makes the PO mandatory; a zero price needs
/// AllowZeroPrice=Y; a price under half the list price is a margin warning, an error under
/// IgnoreWarnings N (the default), reported under W. A clean import leaves out its `<Order>`
/// block on `omitPercent` of posts, as live SYSPRO 8 does. Error numbers are the sandbox's own.
enum SalesOrderImport {
    struct Rules {
        var duplicates = "N", poMandatory = true, zeroPrice = false, warnings = "N"
        var warehouseList: [String] = []

        init(_ params: XMLElement?) {
            func p(_ name: String) -> String? { params?.value(name)?.trimmed.uppercased() }
            duplicates = p("AllowDuplicateOrderNumbers") ?? "N"
            poMandatory = (p("CheckForCustomerPoNumbers") ?? "Y") != "N"
            zeroPrice = p("AllowZeroPrice") == "Y"
            warnings = p("IgnoreWarnings") ?? "N"
            warehouseList = (params?.value("WarehouseListToUse") ?? "").split(separator: ",").map { String($0).trimmed.uppercased() }
        }
    }

    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double,
                     omitPercent: Int) -> Reply {
        let rules = Rules(params)
        var body = ""
        var processed = 0, invalid = 0, warned = 0
        for orders in xmlIn.all("Orders") {
            let header = orders.first("OrderHeader")
            let action = header?.value("OrderActionType")?.uppercased() ?? "A"
            let result: (xml: String, ok: Bool, warned: Bool)
            switch action {
            case "A":
                result = add(header, orders.all("StockLine"), rules, &db, now)
                if result.ok, !result.warned {
                    // Every n-th clean import answers without its <Order> block.
                    db.cleanImports += 1
                    let n = db.cleanImports, p = max(0, min(100, omitPercent))
                    if (n * p) / 100 > ((n - 1) * p) / 100 { processed += 1; continue }
                }
            case "C":
                let changed = change(header, &db)
                result = (changed.0, changed.1, false)
            default:
                result = (orderXML(header, action: action, salesOrder: nil,
                                   SysproXML.error("OrderActionType", value: action, number: 100009, "Invalid order action type")), false, false)
            }
            body += result.xml
            if result.ok { if result.warned { warned += 1 } else { processed += 1 } } else { invalid += 1 }
        }
        return SysproXML.document(root: "SalesOrders", body + SysproXML.statusOfItems(processed: processed, invalid: invalid,
                                                                                      processedWithWarnings: warned))
    }

    private static func orderXML(_ header: XMLElement?, action: String, salesOrder: String?, _ errors: String = "") -> String {
        "<Order>\n" + XML.element("CustomerPoNumber", header?.value("CustomerPoNumber") ?? "") + "\n"
            + XML.element("OrderActionType", action) + "\n"
            + (salesOrder.map { XML.element("SalesOrder", $0) } ?? "<SalesOrder/>") + "\n" + errors + "</Order>\n"
    }

    private static func add(_ header: XMLElement?, _ lines: [XMLElement], _ rules: Rules,
                            _ db: inout SysproDatabase, _ now: Double) -> (String, Bool, Bool) {
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
        } else if po.isEmpty, rules.poMandatory {
            errors += SysproXML.error("CustomerPoNumber", value: po, number: 100012, "Customer purchase order number is required")
        } else if rules.duplicates == "N", !po.isEmpty,
                  let existing = db.first("SorMaster", where: { $0["Customer"]?.string == customerCode && $0["CustomerPoNumber"]?.string == po }) {
            errors += SysproXML.error("CustomerPoNumber", value: po, number: 100005,
                                      "Customer purchase order number already exists on sales order \(existing["SalesOrder"]?.string ?? "")")
        }
        let orderDate: String
        if let d = header?.value("OrderDate") {
            guard d.count == 10, (try? Date.ISO8601FormatStyle().year().month().day().parse(d)) != nil else {
                errors += SysproXML.error("OrderDate", value: d, number: 100007, "Invalid order date")
                return (orderXML(header, action: "A", salesOrder: nil, errors), false, false)
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
        var warnings = ""
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
                    warehouse = rules.warehouseList.first(where: stocked) ?? master?["WarehouseToUse"]?.string ?? ""
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
            let entered = line.value("Price").flatMap(Double.init)
            let price = entered ?? listPrice ?? 0
            if entered == 0, !rules.zeroPrice {
                errs += SysproXML.error("Price", value: line.value("Price") ?? "", number: 100013, "Price may not be zero")
            } else if let entered, entered > 0, let listPrice, entered < listPrice / 2 {
                let text = "Line \(poLine): price \(SysproXML.number(entered)) is below the minimum margin"
                if rules.warnings == "N" {
                    errs += SysproXML.error("Price", value: line.value("Price") ?? "", number: 100014, text)
                } else if rules.warnings == "W" {
                    warnings += "<WarningMessage>\(XML.escape(text))</WarningMessage>\n"
                }
            }
            if errs.isEmpty {
                good.append(Line(code: code, description: master?["Description"]?.string ?? "", warehouse: warehouse,
                                 qty: qty, price: price, poLine: poLine))
            } else {
                lineErrors += "<StockLine>\n" + XML.element("CustomerPoLine", poLine) + "\n" + errs + "</StockLine>\n"
            }
        }
        if !lineErrors.isEmpty { errors += "<OrderDetails>\n" + lineErrors + "</OrderDetails>\n" }
        guard errors.isEmpty, let customer else { return (orderXML(header, action: "A", salesOrder: nil, errors), false, false) }

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
                "MQtyDispatched": .number(0),
            ])
            db.update("InvWarehouse", where: { $0["StockCode"]?.string == l.code && $0["Warehouse"]?.string == l.warehouse }) {
                $0["QtyAllocated"] = .number(($0["QtyAllocated"]?.number ?? 0) + l.qty)
            }
        }
        return (orderXML(header, action: "A", salesOrder: salesOrder, warnings.isEmpty ? "" : "<Warnings>\n\(warnings)</Warnings>\n"),
                true, !warnings.isEmpty)
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

/// SORTOS, sales order status change (docs/vendors/syspro.md, "SORTOS sets only 1, 2, 3,
/// 4, 8, 9 and S"): `<PostSorOrderStatus><Item>` SalesOrder, NewOrderStatus. A cancelled
/// order takes no status; 9 completes the order and relieves no stock.
enum SalesOrderStatus {
    static let validStatuses: Set<String> = ["1", "2", "3", "4", "8", "9", "S"]

    static func post(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let validateOnly = (params?.value("ValidateOnly")?.trimmed.uppercased() ?? "Y") != "N"
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
            if ["*", "\\"].contains(old) || current?["CancelledFlag"]?.string == "Y" {
                errors += SysproXML.error("SalesOrder", value: key, number: 100015, "Sales order is cancelled")
            }
            if errors.isEmpty {
                // The class default of ValidateOnly is Y: validated, not changed.
                if !validateOnly { db.update("SorMaster", where: { $0["SalesOrder"]?.string == key }) { $0["OrderStatus"] = .string(newStatus) } }
                processed += 1
            } else {
                invalid += 1
            }
            body += "<Item>\n" + XML.element("SalesOrder", key) + "\n" + XML.element("OrderStatus", old) + "\n"
                + XML.element("NewOrderStatus", newStatus) + "\n" + errors + "</Item>\n"
        }
        return SysproXML.document(root: "PostSorOrderStatus", body + SysproXML.statusOfItems(processed: processed, invalid: invalid))
    }
}
