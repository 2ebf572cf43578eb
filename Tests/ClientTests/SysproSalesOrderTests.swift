import ConnectorKit
import ENetXML
import Syspro
import XCTest

final class SysproSalesOrderTests: XCTestCase {
    let hostile = "<&'\">"

    func order(po: String = "SB15949208", lines: [StockLine]? = nil) -> SysproSalesOrder {
        SysproSalesOrder(customerPoNumber: po, customer: "C\(hostile)", orderDate: "2024-04-08",
                         customerName: "John \(hostile) Doe", shipAddress: ["123 Main St", "Suite <100>", "Anytown"],
                         shipPostalCode: "12345", email: "j@example.com", shippingInstrs: "ShipBob ORD-12348",
                         lines: lines ?? [StockLine(customerPoLine: 1, stockCode: "TSHIRT&BLUE", warehouse: "FG",
                                                    quantity: 4, price: 0.1),
                                          StockLine(customerPoLine: 2, stockCode: "MUG", warehouse: "FG", quantity: Decimal(string: "1.5")!)])
    }

    /// docs/vendors/syspro.md, "SORTOI parameters": AllowDuplicateOrderNumbers=N is the
    /// duplicate guard; CheckForCustomerPoNumbers only makes the PO mandatory.
    func testParametersAskSysproToRefuseDuplicatePOsThroughAllowDuplicateOrderNumbers() {
        XCTAssertEqual(SalesOrderImport.parameters(ignoreWarnings: "W", allowZeroPrice: false),
                       "<SalesOrders><Parameters><Process>IMPORT</Process><IgnoreWarnings>W</IgnoreWarnings>"
                       + "<AllowDuplicateOrderNumbers>N</AllowDuplicateOrderNumbers>"
                       + "<AlwaysUsePriceEntered>Y</AlwaysUsePriceEntered></Parameters></SalesOrders>")
        XCTAssertTrue(SalesOrderImport.parameters(ignoreWarnings: "N", allowZeroPrice: true).contains("<AllowZeroPrice>Y</AllowZeroPrice>"))
    }

    func testAZeroPriceOnAnyLineAsksForAllowZeroPrice() {
        XCTAssertFalse(SalesOrderImport.hasZeroPrice(order()))
        XCTAssertTrue(SalesOrderImport.hasZeroPrice(order(lines: [StockLine(customerPoLine: 1, stockCode: "A", warehouse: "FG", quantity: 1, price: 0),
                                                                   StockLine(customerPoLine: 2, stockCode: "B", warehouse: "FG", quantity: 1)])))
        XCTAssertFalse(SalesOrderImport.hasZeroPrice(order(lines: [StockLine(customerPoLine: 1, stockCode: "A", warehouse: "FG", quantity: 1)])),
                       "no price: SYSPRO prices the line")
    }

    func testWarningsOfAnAcceptedImportAreRead() throws {
        let answer = try XML.parse("<SalesOrders><Order><CustomerPoNumber>SB1</CustomerPoNumber><SalesOrder>015562</SalesOrder>"
            + "<Warnings><WarningMessage>Line 1: price below margin</WarningMessage></Warnings></Order>"
            + "<StatusOfItems><ItemsProcessed>000000</ItemsProcessed><ItemsProcessedWithWarnings>000001</ItemsProcessedWithWarnings></StatusOfItems></SalesOrders>")
        let result = SortoiResult(answer)
        XCTAssertFalse(result.isRejected)
        XCTAssertEqual(result.itemsProcessed, 1)
        XCTAssertEqual(result.warnings, ["Line 1: price below margin"])
    }

    func testXmlInEscapesEveryValueAndRoundTrips() throws {
        let xml = try SalesOrderImport.xmlIn(order())
        XCTAssertTrue(xml.contains("<CustomerName>John &lt;&amp;&apos;&quot;&gt; Doe</CustomerName>"), xml)
        XCTAssertTrue(xml.contains("<Customer>C&lt;&amp;&apos;&quot;&gt;</Customer>"), xml)
        XCTAssertFalse(xml.contains("<100>"))
        let root = try XML.parse(xml)
        let header = try XCTUnwrap(root.first("OrderHeader"))
        XCTAssertEqual(header.value("CustomerPoNumber"), "SB15949208")
        XCTAssertEqual(header.value("OrderActionType"), "A")
        XCTAssertEqual(header.value("Customer"), "C\(hostile)")
        XCTAssertEqual(header.value("CustomerName"), "John \(hostile) Doe")
        XCTAssertEqual(header.value("OrderDate"), "2024-04-08")
        XCTAssertEqual(header.value("ShipAddress2"), "Suite <100>")
        XCTAssertNil(header.first("ShipAddress4"), "absent address lines are left out")
        XCTAssertNil(header.first("SpecialInstrs"), "empty optional fields are left out")
        let lines = root.all("StockLine")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].value("StockCode"), "TSHIRT&BLUE")
        XCTAssertEqual(lines[0].value("LineActionType"), "A")
        XCTAssertEqual(lines[0].value("OrderQty"), "4")
        XCTAssertEqual(lines[0].value("Price"), "0.1")
        XCTAssertEqual(lines[1].value("OrderQty"), "1.5")
        XCTAssertNil(lines[1].first("Price"), "no price lets SYSPRO price the line")
        XCTAssertEqual(root.children.map(\.name), ["SalesOrders"])
    }

    func testValidationRefusesWhatSysproWouldRefuseOrCut() {
        func refused(_ o: SysproSalesOrder, _ fragment: String, line: UInt = #line) {
            XCTAssertThrowsError(try SalesOrderImport.xmlIn(o), line: line) { error in
                XCTAssertEqual((error as? ConnectorError)?.exitStatus, .dataError, line: line)
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        refused(order(po: String(repeating: "9", count: 31)), "31 characters")
        XCTAssertNoThrow(try SalesOrderImport.xmlIn(order(po: String(repeating: "9", count: 30))))
        refused(order(po: " "), "customer PO number is empty")
        var o = order(); o.shipAddress = Array(repeating: "x", count: 6); refused(o, "6 ship address lines")
        o = order(); o.orderDate = "08/04/2024"; refused(o, "not yyyy-MM-dd")
        o = order(); o.orderDate = "2024-13-01"; refused(o, "not yyyy-MM-dd")
        refused(order(lines: []), "no stock lines")
        refused(order(lines: [StockLine(customerPoLine: 1, stockCode: "A", warehouse: "FG", quantity: 0)]), "not positive")
        refused(order(lines: [StockLine(customerPoLine: 1, stockCode: "", warehouse: "FG", quantity: 1)]), "no stock code")
        refused(order(lines: [StockLine(customerPoLine: 1, stockCode: "A", warehouse: "FG", quantity: 1, price: -1)]), "not a price")
    }

    func testPricesAreWrittenAsPlainDecimals() throws {
        for (price, text) in [(0.1, "0.1"), (12.5, "12.5"), (3, "3"), (0.00001, "0"), (19.99, "19.99")] {
            let xml = try SalesOrderImport.xmlIn(order(lines: [StockLine(customerPoLine: 1, stockCode: "A", warehouse: "FG", quantity: 1, price: price)]))
            XCTAssertTrue(xml.contains("<Price>\(text)</Price>"), "\(price): \(xml)")
        }
    }
}

final class SysproSortoiResultTests: XCTestCase {
    func result(_ xml: String) throws -> SortoiResult { SortoiResult(try XML.parse(xml)) }

    func testAcceptedImportWithPaddedNumbersAndAttributes() throws {
        let r = try result("""
            <?xml version="1.0" encoding="Windows-1252"?>
            <SalesOrders Language='05' Language2='EN' CssStyle='' DecFormat='1' DateFormat='01' Role='01' Version='8.0.105' OperatorPrimaryRole='   '>
            <Order>
            <CustomerPoNumber>SB15949208</CustomerPoNumber>
            <OrderActionType>A</OrderActionType>
            <SalesOrder>015562 </SalesOrder>
            </Order>
            <StatusOfItems>
            <ItemsProcessed>000001</ItemsProcessed>
            <ItemsRejected>000000</ItemsRejected>
            <ItemsRejectedWithWarnings/>
            <ItemsProcessedWithWarnings/>
            </StatusOfItems>
            </SalesOrders>
            """)
        XCTAssertEqual(r.salesOrder, "015562")
        XCTAssertEqual(r.itemsProcessed, 1)
        XCTAssertEqual(r.itemsRejected, 0)
        XCTAssertEqual(r.errors, [])
        XCTAssertFalse(r.isRejected)
        XCTAssertFalse(r.isDuplicatePo)
    }

    func testCleanImportWithoutOrderBlockAndDifferentCase() throws {
        let r = try result("<salesorders><statusofitems><itemsprocessed>     1</itemsprocessed></statusofitems></salesorders>")
        XCTAssertNil(r.salesOrder, "the caller then looks the order up in SorMaster")
        XCTAssertEqual(r.itemsProcessed, 1)
        XCTAssertFalse(r.isRejected)
    }

    func testDuplicateCustomerPoIsRecognised() throws {
        let r = try result("""
            <SalesOrders Language='05' Version='8.0.105'>
            <Order><customerponumber><Value>SB15949208</Value><ErrorNumber>100005</ErrorNumber>
            <ErrorDescription>Customer purchase order number already exists on sales order 015562</ErrorDescription></customerponumber>
            <SalesOrder/></Order>
            <StatusOfItems><ItemsProcessed>000000</ItemsProcessed><ItemsRejected>000001</ItemsRejected></StatusOfItems>
            </SalesOrders>
            """)
        XCTAssertNil(r.salesOrder)
        XCTAssertTrue(r.isRejected)
        XCTAssertTrue(r.isDuplicatePo)
        XCTAssertEqual(r.itemsRejected, 1)
        XCTAssertEqual(r.errors, ["customerponumber 'SB15949208' [100005]: Customer purchase order number already exists on sales order 015562"])
    }

    func testOtherRejectionIsNotADuplicate() throws {
        let r = try result("""
            <SalesOrders><Order><OrderDetails><StockLine><stockcode><Value>NOPE</Value>
            <ErrorDescription>Stock code not on file</ErrorDescription></stockcode></StockLine></OrderDetails>
            <SalesOrder></SalesOrder></Order></SalesOrders>
            """)
        XCTAssertTrue(r.isRejected, "an empty <SalesOrder/> means rejected")
        XCTAssertFalse(r.isDuplicatePo)
        XCTAssertEqual(r.errors, ["stockcode 'NOPE': Stock code not on file"])
    }

    func testWindows1252Answer() throws {
        var bytes = Array(#"<?xml version="1.0" encoding="Windows-1252"?><SalesOrders><Order><Customer><Value>CAF"#.utf8)
        bytes += [0xC9]  // É in Windows-1252, invalid as UTF-8
        bytes += Array("</Value><ErrorDescription>".utf8) + [0x93] + Array("Customer".utf8) + [0x94]
            + Array(" is on hold</ErrorDescription></Customer><SalesOrder/></Order></SalesOrders>".utf8)
        let r = SortoiResult(try XML.parse(Data(bytes)))
        XCTAssertEqual(r.errors, ["Customer 'CAFÉ': \u{201C}Customer\u{201D} is on hold"])
        XCTAssertTrue(r.isRejected)
    }
}
