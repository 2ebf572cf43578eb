import ConnectorKit
import XCTest

final class RedactionTests: XCTestCase {
    func testSysproLogonQueryLosesPasswordsAndXmlInLosesCustomerNameButKeepsStockCode() {
        let xml = "<SalesOrders><OrderHeader><CustomerName>Jane Doe</CustomerName><Email>jane@example.com</Email></OrderHeader><StockLine><StockCode>A100</StockCode></StockLine></SalesOrders>"
        let url = "https://erp.example/SYSPROWCFService/Rest/Transaction/Post?UserId=ABC123%20%20&BusinessObject=SORTOI&XmlIn="
            + xml.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let out = Redaction.url(url).removingPercentEncoding!
        XCTAssertFalse(out.contains("ABC123"))
        XCTAssertFalse(out.contains("Jane Doe"))
        XCTAssertFalse(out.contains("jane@example.com"))
        XCTAssertTrue(out.contains("<StockCode>A100</StockCode>"))
        XCTAssertTrue(out.contains("BusinessObject=SORTOI"))
        let logon = Redaction.url("http://erp/SYSPROWCFService/Rest/Logon?Operator=ADMIN&OperatorPassword=s3cret&CompanyId=F&CompanyPassword=pw")
        XCTAssertFalse(logon.contains("s3cret") || logon.contains("=pw") || logon.contains("ADMIN"))
        XCTAssertTrue(logon.contains("CompanyId=F"))
    }

    func testJsonKeepsIdsAndQuantitiesButNotTokensNamesOrAnEmailUsedAsAnId() throws {
        let text = #"{"access_token":"eyJ","inputs":[{"id":"buyer@shop.example","idProperty":"email","properties":{"firstname":"Ann","quantity":"3"}}],"to":"+15555550101","associations":[{"to":{"id":"77"}}]}"#
        let out = Redaction.json(text)
        for gone in ["eyJ", "buyer@shop.example", "Ann", "+15555550101"] { XCTAssertFalse(out.contains(gone), gone) }
        for kept in ["\"quantity\":\"3\"", "\"idProperty\":\"email\"", "\"id\":\"77\""] { XCTAssertTrue(out.contains(kept), kept) }
        XCTAssertEqual(Redaction.json("not json"), Redaction.mark)
    }

    func testTwilioFormLosesNumbersAndTextAndAPlainTextSessionIsRedactedWhole() {
        let form = Redaction.body("To=%2B15555550101&From=%2B15555550100&Body=PO+4711+approved&StatusCallback=https%3A%2F%2Fx",
                                  contentType: "application/x-www-form-urlencoded")
        XCTAssertFalse(form.contains("15555550101") || form.contains("approved"))
        XCTAssertTrue(form.contains("StatusCallback=https%3A%2F%2Fx"))
        XCTAssertEqual(Redaction.body("CED6A1CD9634DD409665A876B0722D0900  ", contentType: "application/octet-stream", whole: true), Redaction.mark)
    }

    func testPersonalPathSegmentsAreRedacted() {
        XCTAssertFalse(Redaction.url("https://api.hubapi.com/crm/v3/objects/contacts/ann%40shop.example?idProperty=email").contains("shop.example"))
    }

    func testXmlRedactsOnlyLeafElementsWithAttributesSpacesAndNamesKeptAsTheyWere() {
        let xml = "<Doc>\n<Name lang=\"en\">Ann</Name ><Qty>3</Qty><Contact><Phone>+15555550101</Phone></Contact><Note>x</Other><Email/></Doc>"
        XCTAssertEqual(Redaction.xml(xml),
                       "<Doc>\n<Name lang=\"en\">[redacted]</Name ><Qty>3</Qty><Contact><Phone>[redacted]</Phone></Contact><Note>x</Other><Email/></Doc>")
        XCTAssertEqual(Redaction.xml("<Remark>call +15555550101</Remark><Remark>+15555550101</Remark>"),
                       "<Remark>call +15555550101</Remark><Remark>[redacted]</Remark>", "a value is personal whole, not by a part")
        XCTAssertEqual(Redaction.xml("plain < text"), "plain < text")
    }

    func testAValueMarkedInAFormIsPercentEncodedAndAPathSegmentKeepsItsPlus() {
        XCTAssertEqual(Redaction.form("Body=a+b&n=1"), "Body=%5Bredacted%5D&n=1")
        XCTAssertEqual(Redaction.url("https://x/a+b/c?q=1"), "https://x/a+b/c?q=1")
    }
}
