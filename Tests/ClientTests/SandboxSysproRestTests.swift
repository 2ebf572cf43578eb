import ConnectorKit
import ENetXML
import Foundation
import Sandbox
import WebhookCore
import XCTest

final class SandboxSysproRestTests: SandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(sessionTimeout: 1) }

    func testLogonReturnsThirtyTwoHexCharactersAndTwoSpaces() async throws {
        let id = try await logon()
        XCTAssertNotNil(id.wholeMatch(of: #/[0-9A-F]{32}  /#), "got [\(id)]")
    }

    func testWrongPasswordAndUnknownCompanyAreErrorTextWithStatus200() async throws {
        let bad = try await get(rest + "/Logon", [("Operator", "ADMIN"), ("OperatorPassword", "nope"), ("CompanyId", "FASHION")])
        XCTAssertEqual(bad.status, 200)
        XCTAssertEqual(bad.text, "ERROR: Invalid operator password")
        let company = try await get(rest + "/Logon", [("Operator", "ADMIN"), ("OperatorPassword", "sandbox-syspro"), ("CompanyId", "ACME")])
        XCTAssertEqual(company.text, "ERROR: Invalid company")
    }

    func testEveryMethodButGetIsAnswered405() async throws {
        let r = try await request("POST", rest + "/Logon", body: Data())
        XCTAssertEqual(r.status, 405)
    }

    func testSecondLogonBySameOperatorEndsTheFirstSession() async throws {
        let first = try await logon()
        let second = try await logon()
        let old = try await get(rest + "/GetLogonProfile", [("UserId", first)])
        XCTAssertEqual(old.text, "ERROR: The supplied UserID is invalid.")
        let current = try await get(rest + "/GetLogonProfile", [("UserId", second)])
        XCTAssertTrue(current.text.contains("<Operator>ADMIN</Operator>"), current.text)
        let other = try await logon("WEBSYNC", "sandbox-websync")
        let stillCurrent = try await get(rest + "/GetLogonProfile", [("UserId", second)])
        XCTAssertTrue(stillCurrent.text.contains("<CompanyId>FASHION</CompanyId>"), "another operator's logon must not end it")
        XCTAssertNotEqual(other, second)
    }

    func testSessionExpiresAfterIdleTimeoutAndLogoffAnswersZero() async throws {
        let id = try await logon()
        try await Task.sleep(for: .milliseconds(1500))
        let expired = try await get(rest + "/GetLogonProfile", [("UserId", id)])
        XCTAssertEqual(expired.text, "ERROR: The supplied UserID is invalid.")
        let fresh = try await logon()
        let off = try await get(rest + "/Logoff", [("UserId", fresh)])
        XCTAssertEqual(off.text, "0")
        let after = try await get(rest + "/GetLogonProfile", [("UserId", fresh)])
        XCTAssertEqual(after.text, "ERROR: The supplied UserID is invalid.")
    }

    func testUnknownBusinessObjectIsAnErrorText() async throws {
        let id = try await logon()
        let r = try await post(id, "SORTXX", xmlIn: "<x/>")
        XCTAssertEqual(r.text, "ERROR: Business object SORTXX not found")
    }
}

final class SandboxSalesOrderTests: SandboxTestCase {
    /// Every answer names its order here; the share left out is pinned below.
    override var options: SandboxOptions { SandboxOptions(sysproOmitOrderPercent: 0) }

    func testAcceptedOrderGetsNextSalesOrderIsStoredAndAllocatesStock() async throws {
        let before = try await table("InvWarehouse").first { $0["StockCode"]?.string == "TS-BLU-M" && $0["Warehouse"]?.string == "LA" }!
        let id = try await logon()
        let r = try await post(id, "SORTOI", params: checkPo, xmlIn: salesOrderXML(po: "SB15949208", lines: [("TS-BLU-M", "LA", "4")]))
        XCTAssertTrue(r.text.hasPrefix("<?xml version=\"1.0\" encoding=\"Windows-1252\"?>"), r.text)
        XCTAssertTrue(r.text.contains("Version='8.0.105'"))
        let doc = try XML.parse(r.data)
        XCTAssertEqual(doc.value("SalesOrder"), "015562")
        XCTAssertEqual(doc.value("ItemsProcessed"), "000001")
        XCTAssertEqual(doc.value("ItemsInvalid"), "000000")

        let orders = try await get("/_control/syspro/sales-orders").json.array!
        let stored = orders.first { $0["CustomerPoNumber"]?.string == "SB15949208" }!
        XCTAssertEqual(stored["SalesOrder"]?.string, "015562")
        XCTAssertEqual(stored["OrderStatus"]?.string, "1")
        XCTAssertEqual(stored["Customer"]?.string, "0000100")
        XCTAssertEqual(stored["ShippingInstrs"]?.string, "Ground")
        XCTAssertEqual(stored["lines"]?.array?.first?["MStockCode"]?.string, "TS-BLU-M")
        XCTAssertEqual(stored["lines"]?.array?.first?["MOrderQty"]?.double, 4)

        let after = try await table("InvWarehouse").first { $0["StockCode"]?.string == "TS-BLU-M" && $0["Warehouse"]?.string == "LA" }!
        XCTAssertEqual(after["QtyAllocated"]!.double! - before["QtyAllocated"]!.double!, 4)
        XCTAssertNotEqual(after["TimeStamp"], before["TimeStamp"])
    }

    func testUnknownCustomerAndStockCodeAreRejectedWithTheElementEchoedInLowerCase() async throws {
        let id = try await logon()
        let r = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: "SB1", customer: "XYZ", lines: [("NOPE", "FG", "1")]))
        XCTAssertTrue(r.text.contains("<SalesOrder/>"), r.text)
        XCTAssertTrue(r.text.contains("<customer><Value>XYZ</Value><ErrorNumber>100001</ErrorNumber><ErrorDescription>Customer not found</ErrorDescription></customer>"), r.text)
        XCTAssertTrue(r.text.contains("<stockcode><Value>NOPE</Value>"), r.text)
        XCTAssertEqual(try XML.parse(r.data).value("ItemsInvalid"), "000001")
        let orders = try await get("/_control/syspro/sales-orders").json.array!
        XCTAssertFalse(orders.contains { $0["CustomerPoNumber"]?.string == "SB1" })
    }

    func testStockCodeNotStockedInWarehouseAndOverlongPoAreRejected() async throws {
        let id = try await logon()
        // The returns warehouse RT stocks only every fifth code; TS-BLU-M is not one of them.
        let wh = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: "SB2", lines: [("TS-BLU-M", "RT", "1")]))
        XCTAssertTrue(wh.text.contains("<warehouse><Value>RT</Value>"), wh.text)
        let long = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: String(repeating: "9", count: 31), lines: [("TS-BLU-S", "FG", "1")]))
        XCTAssertTrue(long.text.contains("<customerponumber>"), long.text)
        XCTAssertTrue(long.text.contains("<SalesOrder/>"))
    }

    /// docs/vendors/syspro.md, "SORTOI parameters": AllowDuplicateOrderNumbers N (the
    /// default) refuses a PO the customer has, A never checks; CheckForCustomerPoNumbers only
    /// makes the PO mandatory.
    func testDuplicateCustomerPoIsRejectedByAllowDuplicateOrderNumbersNotByCheckForCustomerPoNumbers() async throws {
        let id = try await logon()
        let xml = salesOrderXML(po: "SB15949210", lines: [("TS-WHT-M", "FG", "1")])
        func params(_ extra: String) -> String { "<SalesOrders><Parameters><Process>IMPORT</Process>\(extra)</Parameters></SalesOrders>" }
        let first = try await post(id, "SORTOI", params: params("<AllowDuplicateOrderNumbers>N</AllowDuplicateOrderNumbers>"), xmlIn: xml)
        XCTAssertEqual(try XML.parse(first.data).value("SalesOrder"), "015562")
        let again = try await post(id, "SORTOI", params: params("<AllowDuplicateOrderNumbers>N</AllowDuplicateOrderNumbers>"), xmlIn: xml)
        XCTAssertTrue(again.text.contains("<SalesOrder/>"), again.text)
        XCTAssertTrue(again.text.contains("<customerponumber><Value>SB15949210</Value>"), again.text)
        let noCheck = try await post(id, "SORTOI", params: params("<CheckForCustomerPoNumbers>N</CheckForCustomerPoNumbers>"), xmlIn: xml)
        XCTAssertTrue(noCheck.text.contains("<SalesOrder/>"), "absent AllowDuplicateOrderNumbers is N: \(noCheck.text)")
        let always = try await post(id, "SORTOI", params: params("<AllowDuplicateOrderNumbers>A</AllowDuplicateOrderNumbers>"), xmlIn: xml)
        XCTAssertEqual(try XML.parse(always.data).value("SalesOrder"), "015563")
        let noPo = try await post(id, "SORTOI", params: params("<CheckForCustomerPoNumbers>Y</CheckForCustomerPoNumbers>"),
                                  xmlIn: salesOrderXML(po: "", lines: [("DR-SUN-RED-M", "FG", "1")]))
        XCTAssertTrue(noPo.text.contains("<customerponumber>"), "Y makes the PO mandatory: \(noPo.text)")
    }

    func testCleanImportsLeaveOutTheirOrderBlockOnTheConfiguredShare() async throws {
        let id = try await logon()
        let set = try await request("PUT", "/_control/syspro/settings", headers: ["Content-Type": "application/json"],
                                    body: Data(#"{"omit_order_percent": 100}"#.utf8))
        XCTAssertEqual(set.status, 200, set.text)
        let r = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: "SB-OMIT", lines: [("TS-BLU-M", "FG", "1")]))
        XCTAssertFalse(r.text.contains("<Order>"), r.text)
        XCTAssertEqual(try XML.parse(r.data).value("ItemsProcessed"), "000001")
        let orders = try await get("/_control/syspro/sales-orders").json.array!
        XCTAssertTrue(orders.contains { $0["CustomerPoNumber"]?.string == "SB-OMIT" }, "imported all the same")
    }

    func testSeveralOrdersInOneXmlInAreEachAnswered() async throws {
        let id = try await logon()
        let one = salesOrderXML(po: "A1", lines: [("TS-WHT-M", "FG", "1")])
        let two = salesOrderXML(po: "A2", customer: "NOPE", lines: [("TS-WHT-M", "FG", "1")])
        let both = one.replacingOccurrences(of: "</SalesOrders>", with: "")
            + two.replacingOccurrences(of: "<SalesOrders>", with: "")
        let r = try await post(id, "SORTOI", xmlIn: both)
        let doc = try XML.parse(r.data)
        XCTAssertEqual(doc.all("Order").count, 2)
        XCTAssertEqual(doc.value("ItemsProcessed"), "000001")
        XCTAssertEqual(doc.value("ItemsInvalid"), "000001")
    }

    func testChangeActionUpdatesInstructionsOfOrderFoundByCustomerPo() async throws {
        let id = try await logon()
        _ = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: "SB777", lines: [("TS-BLK-M", "FG", "2")]))
        let change = "<SalesOrders><Orders><OrderHeader><CustomerPoNumber>SB777</CustomerPoNumber><OrderActionType>C</OrderActionType><Customer>0000100</Customer><SpecialInstrs>UPS 1Z999AA10123456784</SpecialInstrs></OrderHeader></Orders></SalesOrders>"
        let r = try await post(id, "SORTOI", xmlIn: change)
        XCTAssertEqual(try XML.parse(r.data).value("SalesOrder"), "015562", r.text)
        let stored = try await get("/_control/syspro/sales-orders").json.array!.first { $0["CustomerPoNumber"]?.string == "SB777" }!
        XCTAssertEqual(stored["SpecialInstrs"]?.string, "UPS 1Z999AA10123456784")
        XCTAssertEqual(stored["ShippingInstrs"]?.string, "Ground")
    }

    func testSortosChangesOrderStatusOnlyWithValidateOnlyN() async throws {
        let id = try await logon()
        let xml = "<PostSorOrderStatus><Item><SalesOrder>15560</SalesOrder><NewOrderStatus>S</NewOrderStatus></Item></PostSorOrderStatus>"
        let status = { try await self.get("/_control/syspro/sales-orders").json.array!.first { $0["SalesOrder"]?.string == "015560" }!["OrderStatus"]?.string }
        _ = try await post(id, "SORTOS", xmlIn: xml)
        let unchanged = try await status()
        XCTAssertEqual(unchanged, "1", "ValidateOnly defaults to Y")
        let r = try await post(id, "SORTOS", params: "<PostSorOrderStatus><Parameters><ValidateOnly>N</ValidateOnly></Parameters></PostSorOrderStatus>", xmlIn: xml)
        XCTAssertEqual(try XML.parse(r.data).value("ItemsProcessed"), "000001", r.text)
        let changed = try await status()
        XCTAssertEqual(changed, "S")
    }

    func movementSettings(_ json: String) async throws {
        let r = try await request("PUT", "/_control/syspro/movement-settings", headers: ["Content-Type": "application/json"], body: Data(json.utf8))
        XCTAssertEqual(r.status, 200, r.text)
    }

    func testInventoryReceiptAddsOnHandAndEveryPostLeavesAMovementWithItsReference() async throws {
        try await movementSettings(#"{"answer_shape": "full"}"#)
        let id = try await logon()
        let row = { () async throws -> JSONValue in
            try await self.table("InvWarehouse").first { $0["StockCode"]?.string == "TS-BLU-M" && $0["Warehouse"]?.string == "LA" }!
        }
        let before = try await row()["QtyOnHand"]!.double!
        let xml = "<PostInvReceipts><Item><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>48</Quantity><Reference>WRO880101</Reference><Notation>ShipBob WRO</Notation></Item></PostInvReceipts>"
        let r = try await post(id, "INVTMR", params: "<PostInvReceipts><Parameters><IgnoreWarnings>N</IgnoreWarnings></Parameters></PostInvReceipts>", xmlIn: xml)
        XCTAssertEqual(try XML.parse(r.data).value("ItemsProcessed"), "000001", r.text)
        let afterReceipt = try await row()
        XCTAssertEqual(afterReceipt["QtyOnHand"]!.double!, before + 48)
        _ = try await post(id, "INVTMR", xmlIn: xml)
        let moves = try await table("InvMovements").filter { $0["Reference"]?.string == "WRO880101" }
        XCTAssertEqual(moves.count, 2, "SYSPRO does not refuse a repeated Reference")

        let adj = try await post(id, "INVTMA", xmlIn: "<PostInvAdjustments><Item><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>-6</Quantity><Reference>CNT-1</Reference></Item></PostInvAdjustments>")
        XCTAssertEqual(try XML.parse(adj.data).value("ItemsProcessed"), "000001", adj.text)
        let afterAdjustment = try await row()
        XCTAssertEqual(afterAdjustment["QtyOnHand"]!.double!, before + 90)
    }

    func testPortorShapedAnswerCarriesNeitherJournalNorStatusOfItemsYetThePostCommits() async throws {
        let id = try await logon()
        let settings = try await get("/_control/syspro/movement-settings").json
        XCTAssertEqual(settings["answer_shape"]?.string, "portor", "the stricter shape is the default")
        let r = try await post(id, "INVTMR", xmlIn: "<PostInvReceipts><Item><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>5</Quantity><Reference>P-1</Reference></Item></PostInvReceipts>")
        let answer = try XML.parse(r.data)
        XCTAssertNil(answer.first("StatusOfItems"), r.text)
        XCTAssertNil(answer.first("Journal"), r.text)
        XCTAssertEqual(answer.first("Item")?.first("Key")?.value("StockCode"), "TS-BLU-M", r.text)
        XCTAssertEqual(answer.value("ItemNumber"), "000001", r.text)
        let posted = try await table("InvMovements").filter { $0["Reference"]?.string == "P-1" }
        XCTAssertEqual(posted.count, 1, "posted all the same")
    }

    func testMultiBinWarehouseRefusesAMovementWithoutABinInSysprosErrorShape() async throws {
        try await movementSettings(#"{"multi_bin_warehouses": ["LA"]}"#)
        let id = try await logon()
        let item = "<Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>5</Quantity>"
        let refused = try await post(id, "INVTMR", params: "<PostInvReceipts><Parameters><ApplyIfEntireDocumentValid>Y</ApplyIfEntireDocumentValid></Parameters></PostInvReceipts>",
                                     xmlIn: "<PostInvReceipts><Item>\(item)<Reference>B-1</Reference></Item></PostInvReceipts>")
        let answer = try XML.parse(refused.data)
        let error = try XCTUnwrap(answer.first("binlocation"), refused.text)
        XCTAssertNotNil(error.first("ErrorNumber"))
        XCTAssertTrue(error.value("ErrorDescription")?.contains("multiple bins") == true, refused.text)
        XCTAssertEqual(answer.value("ItemsInvalid"), "000001", "an error answer keeps StatusOfItems: \(refused.text)")
        let asAdjustmentField = try await post(id, "INVTMR", xmlIn: "<PostInvReceipts><Item>\(item)<BinLocation>R1</BinLocation><Reference>B-2</Reference></Item></PostInvReceipts>")
        XCTAssertNotNil(try XML.parse(asAdjustmentField.data).first("binlocation")?.first("ErrorNumber"), "INVTMR takes its bin in <Bins>")
        _ = try await post(id, "INVTMR", xmlIn: "<PostInvReceipts><Item>\(item)<Bins><BinLocation>R1</BinLocation><BinQuantity>5</BinQuantity></Bins><Reference>B-3</Reference></Item></PostInvReceipts>")
        let adjustment = try await post(id, "INVTMA", xmlIn: "<PostInvAdjustments><Item><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>-1</Quantity><Reference>B-4</Reference></Item></PostInvAdjustments>")
        XCTAssertNotNil(try XML.parse(adjustment.data).first("binlocation"), adjustment.text)
        _ = try await post(id, "INVTMA", xmlIn: "<PostInvAdjustments><Item><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>-1</Quantity><BinLocation>R1</BinLocation><Reference>B-5</Reference></Item></PostInvAdjustments>")
        let references = try await table("InvMovements").compactMap { $0["Reference"]?.string }.filter { $0.hasPrefix("B-") }
        XCTAssertEqual(references.sorted(), ["B-3", "B-5"], "only the posts with a bin went through")
    }

    func testLotTraceableStockCodeRefusesAMovementWithoutALot() async throws {
        try await movementSettings(#"{"lot_traceable_stock_codes": ["TS-BLU-M"]}"#)
        let id = try await logon()
        let item = "<Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>5</Quantity>"
        let refused = try await post(id, "INVTMR", xmlIn: "<PostInvReceipts><Item>\(item)<Reference>L-1</Reference></Item></PostInvReceipts>")
        XCTAssertNotNil(try XML.parse(refused.data).first("lot")?.first("ErrorDescription"), refused.text)
        _ = try await post(id, "INVTMR", xmlIn: "<PostInvReceipts><Item>\(item)<Lot>LOT-1</Lot><Reference>L-2</Reference></Item></PostInvReceipts>")
        let references = try await table("InvMovements").compactMap { $0["Reference"]?.string }.filter { $0.hasPrefix("L-") }
        XCTAssertEqual(references, ["L-2"])
    }
}
