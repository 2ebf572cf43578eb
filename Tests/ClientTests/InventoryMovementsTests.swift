import ConnectorKit
import ENetXML
import Syspro
import XCTest

final class InventoryMovementsTests: XCTestCase {
    func line(_ qty: Decimal, reference: String = "WRO880101-5264253/1") -> InventoryMovementLine {
        InventoryMovementLine(warehouse: "LA", stockCode: "TS-BLU-M&<", quantity: qty, reference: reference, notation: "ShipBob WRO 880101")
    }

    func testReceiptDocumentHasOneEscapedItemPerLineAndAllOrNothingParameters() throws {
        let params = try XML.parse(InventoryMovements.parameters(.receipt, transactionDate: "2026-08-04"))
        XCTAssertNotNil(params.first("PostInvReceipts"))
        XCTAssertEqual(params.value("TransactionDate"), "2026-08-04")
        XCTAssertEqual(params.value("ApplyIfEntireDocumentValid"), "Y")
        XCTAssertEqual(params.value("ValidateOnly"), "N")
        XCTAssertNil(params.value("PhysicalCount"), "PhysicalCount is an adjustment parameter")
        let doc = try XML.parse(InventoryMovements.xmlIn(.receipt, [line(24), line(Decimal(string: "1.5")!, reference: "R2")]))
        XCTAssertNotNil(doc.first("PostInvReceipts"))
        let items = doc.all("Item")
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items[0].value("StockCode"), "TS-BLU-M&<")
        XCTAssertEqual(items[0].value("Quantity"), "24")
        XCTAssertEqual(items[1].value("Quantity"), "1.5")
        XCTAssertEqual(items[0].value("Reference"), "WRO880101-5264253/1")
        XCTAssertNil(items[0].value("UnitOfMeasure"), "left out so SYSPRO uses the stocking unit")
    }

    func testAdjustmentsTakeSignedQuantitiesAndPhysicalCount() throws {
        XCTAssertEqual(try XML.parse(InventoryMovements.xmlIn(.adjustment, [line(-3)])).first("Quantity")?.trimmedText, "-3")
        XCTAssertNotNil(try XML.parse(InventoryMovements.xmlIn(.adjustment, [line(-3)])).first("PostInvAdjustments"))
        XCTAssertEqual(try XML.parse(InventoryMovements.parameters(.adjustment, transactionDate: "2026-08-04", physicalCount: true))
            .value("PhysicalCount"), "Y")
        XCTAssertEqual(InventoryMovements.Kind.adjustment.businessObject, "INVTMA")
    }

    func testRefusesWhatSysproWouldRefuseBeforeSending() {
        XCTAssertThrowsError(try InventoryMovements.xmlIn(.receipt, [line(0)]))
        XCTAssertThrowsError(try InventoryMovements.xmlIn(.receipt, [line(-1)]))
        XCTAssertThrowsError(try InventoryMovements.xmlIn(.adjustment, [line(0)]))
        XCTAssertThrowsError(try InventoryMovements.xmlIn(.receipt, []))
        XCTAssertThrowsError(try InventoryMovements.xmlIn(.receipt, [line(1, reference: String(repeating: "R", count: 31))]))
    }

    func testPostedAnswerGivesTheJournalPerItem() throws {
        let answer = """
        <?xml version="1.0" encoding="Windows-1252"?>
        <PostInvReceipts Language='05' Version='8.0.105'>
        <Item>
        <Journal>001207</Journal>
        <JournalEntry>0001</JournalEntry>
        <Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode><Quantity>24.000</Quantity><Reference>WRO1-2/1</Reference>
        </Item>
        <StatusOfItems><ItemsProcessed>000001</ItemsProcessed><ItemsInvalid>000000</ItemsInvalid></StatusOfItems>
        </PostInvReceipts>
        """
        let result = InventoryPostResult(try XML.parse(answer))
        XCTAssertEqual(result.outcome, .posted(journal: "001207"))
        XCTAssertEqual(result.items, [.init(stockCode: "TS-BLU-M", warehouse: "LA", reference: "WRO1-2/1", journal: "001207", errors: [])])
        XCTAssertEqual(result.itemsProcessed, 1)
    }

    func testRejectedAnswerNamesTheErrorAndIsRefused() throws {
        let answer = """
        <PostInvReceipts><Item><Warehouse>ZZ</Warehouse><StockCode>TS-BLU-M</StockCode><Reference>R</Reference>
        <warehouse><Value>ZZ</Value><ErrorNumber>200002</ErrorNumber><ErrorDescription>Not stocked</ErrorDescription></warehouse>
        </Item><StatusOfItems><ItemsProcessed>000000</ItemsProcessed><ItemsInvalid>000001</ItemsInvalid></StatusOfItems></PostInvReceipts>
        """
        let result = InventoryPostResult(try XML.parse(answer))
        XCTAssertEqual(result.outcome, .refused(errors: ["warehouse 'ZZ' [200002]: Not stocked"]))
        XCTAssertNil(result.items.first?.journal)
        XCTAssertEqual(result.items.first?.errors, ["warehouse 'ZZ' [200002]: Not stocked"])
        XCTAssertEqual(result.itemsInvalid, 1)
    }

    func testAnAnswerWithNeitherJournalNorErrorIsUnknownNotRefused() throws {
        let portor = "<PostInvReceipts><Item><Key><Warehouse>LA</Warehouse><StockCode>TS-BLU-M</StockCode></Key><ItemNumber>000001</ItemNumber></Item></PostInvReceipts>"
        XCTAssertEqual(InventoryPostResult(try XML.parse(portor)).outcome, .unknown)
        XCTAssertEqual(InventoryPostResult(try XML.parse("<PostInvReceipts/>")).outcome, .unknown)
        let counted = "<PostInvReceipts><Item><StockCode>X</StockCode></Item><StatusOfItems><ItemsProcessed>000001</ItemsProcessed></StatusOfItems></PostInvReceipts>"
        XCTAssertEqual(InventoryPostResult(try XML.parse(counted)).outcome, .unknown, "processed but no journal: still looked up")
        let outside = "<PostInvReceipts><lot><Value></Value><ErrorNumber>200012</ErrorNumber><ErrorDescription>Lot required</ErrorDescription></lot></PostInvReceipts>"
        XCTAssertEqual(InventoryPostResult(try XML.parse(outside)).outcome, .refused(errors: ["lot [200012]: Lot required"]))
    }

    func testBinAndLotGoWhereEachBusinessObjectTakesThem() throws {
        var l = line(24)
        l.binLocation = "RECV"; l.lot = "LOT-1"
        let receipt = try XML.parse(InventoryMovements.xmlIn(.receipt, [l])).first("Item")!
        XCTAssertEqual(receipt.first("Bins")?.value("BinLocation"), "RECV", "INVTMR: a Bins block")
        XCTAssertEqual(receipt.first("Bins")?.value("BinQuantity"), "24")
        XCTAssertEqual(receipt.children.filter { $0.name == "BinLocation" }.count, 0)
        XCTAssertEqual(receipt.value("Lot"), "LOT-1")
        let adjustment = try XML.parse(InventoryMovements.xmlIn(.adjustment, [l])).first("Item")!
        XCTAssertEqual(adjustment.children.first { $0.name == "BinLocation" }?.trimmedText, "RECV", "INVTMA: BinLocation on the item")
        XCTAssertNil(adjustment.first("Bins"))
        XCTAssertEqual(adjustment.value("Lot"), "LOT-1")
        XCTAssertNil(try XML.parse(InventoryMovements.xmlIn(.receipt, [line(1)])).value("Lot"), "no lot unless given")
    }

    func testStatusChangeAndHeaderChangeDocuments() throws {
        let status = try XML.parse(SalesOrderTracking.statusXmlIn(salesOrder: "015562", current: "1", new: "9"))
        XCTAssertEqual(status.value("SalesOrder"), "015562")
        XCTAssertEqual(status.value("NewOrderStatus"), "9")
        XCTAssertThrowsError(try SalesOrderTracking.statusXmlIn(salesOrder: "015562", current: nil, new: "7"))
        let change = try XML.parse(SalesOrderTracking.changeXmlIn(salesOrder: "015562", customerPoNumber: "SB1",
                                                                  fields: ["SpecialInstrs": "UPS 1Z<9>"]))
        XCTAssertEqual(change.value("OrderActionType"), "C")
        XCTAssertEqual(change.value("SpecialInstrs"), "UPS 1Z<9>")
        XCTAssertThrowsError(try SalesOrderTracking.changeXmlIn(salesOrder: "1", customerPoNumber: "SB1", fields: ["Customer": "X"]))
    }
}
