import XCTest
import ConnectorKit

@testable import ENetXML

final class XMLTests: XCTestCase {
    func testEscapesEveryMarkupCharacter() {
        XCTAssertEqual(XML.escape(#"<a & 'b' "c">"#), "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;")
        XCTAssertEqual(XML.element("Name", "O'Neil & Sons"), "<Name>O&apos;Neil &amp; Sons</Name>")
    }

    func testReadsASysproAnswerWithAttributesPaddingAndOtherCase() throws {
        let text = """
        <?xml version="1.0" encoding="Windows-1252"?>
        <SalesOrders Language='05' Language2='EN' Version='8.0.105'>
          <Order><CustomerPoNumber>SB1</CustomerPoNumber><salesorder> 015562 </salesorder></Order>
          <StatusOfItems><ItemsProcessed>000001</ItemsProcessed><ItemsRejectedWithWarnings/></StatusOfItems>
        </SalesOrders>
        """
        let doc = try XML.parse(text)
        XCTAssertEqual(doc.value("SalesOrder"), "015562")
        XCTAssertEqual(doc.value("itemsprocessed"), "000001")
        XCTAssertNil(doc.value("ItemsRejectedWithWarnings"))
    }

    func testDecodesEntitiesCdataAndWindows1252() throws {
        var bytes = Array("<a><b>caf".utf8); bytes.append(0xE9); bytes += Array(" &amp; &#x41;<![CDATA[<raw>]]> \u{80}</b></a>".utf8)
        bytes = bytes.map { $0 } // keep raw 0x80 byte below as the euro sign in cp1252
        let doc = try XML.parse(Data(bytes))
        XCTAssertTrue(doc.value("b")!.hasPrefix("café & A<raw>"), doc.value("b")!)
    }

    func testReportsUnclosedElements() {
        XCTAssertThrowsError(try XML.parse("<a><b></a>"))
        XCTAssertThrowsError(try XML.parse("<a>"))
    }
}

/// What fuzzing the reader found: deep nesting overflowed the stack (Tests/Fuzz/xml keeps a seed).
final class XMLDepthTests: XCTestCase {
    func testNestingUpTo256ElementsParses() throws {
        let doc = try XML.parse(String(repeating: "<a>", count: 256) + "x" + String(repeating: "</a>", count: 256))
        XCTAssertEqual(doc.all("a").count, 256)
        XCTAssertEqual(doc.all("a").last?.text, "x")
    }

    func testNestingBeyond256ElementsIsRefusedNotAStackOverflow() {
        for depth in [257, 200_000] {
            XCTAssertThrowsError(try XML.parse(String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)))
            XCTAssertThrowsError(try XML.parse(String(repeating: "<a>", count: depth)))
        }
    }
}
