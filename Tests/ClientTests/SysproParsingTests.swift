import ConnectorKit
import ConnectorNet
import ENetXML
import Syspro
import WebhookCore
import XCTest

final class SysproParsingTests: XCTestCase {
    func parse(_ text: String) throws -> String {
        try SysproSession.parseLogonAnswer(text, operator: "ADMIN", company: "EDU1", url: "http://h/Rest/Logon?Operator=…")
    }

    func testSessionIDIsTrimmedAndUnwrapped() throws {
        let id = "0123456789abcdef0123456789ABCDEF"
        XCTAssertEqual(try parse(id + "  "), id, "SYSPRO 7 appends two spaces")
        XCTAssertEqual(try parse("\r\n" + id + "\r\n"), id)
        XCTAssertEqual(try parse("\"\(id)\""), id, "JSON-quoted setups")
        XCTAssertEqual(try parse(" \"\(id)  \" "), id)
        let long = "5F6B1A2C-0D3E-4F50-8A61-72B3C4D5E6F7-0123456789"
        XCTAssertEqual(try parse(long), long, "SYSPRO 8 ids can be longer")
    }

    func testLogonErrorIsAConfigErrorNamingOperatorAndCompany() {
        XCTAssertThrowsError(try parse("ERROR: Invalid operator password")) { error in
            let e = error as? VendorError
            XCTAssertEqual(e?.kind, .authRejected)
            XCTAssertEqual(e?.exitStatus, .config)
            let text = "\(error)"
            XCTAssertTrue(text.contains("ADMIN") && text.contains("EDU1") && text.contains("\"ERROR: Invalid operator password\""), text)
        }
    }

    func testGarbageIsABadAnswer() {
        for text in ["", "0", "<html>Service Unavailable</html>", "0123456789abcdef"] {
            XCTAssertThrowsError(try parse(text)) { XCTAssertEqual(($0 as? VendorError)?.kind, .badAnswer, text) }
        }
    }

    func testInvalidSessionMatcher() {
        XCTAssertTrue(SysproFacts.isInvalidSession("ERROR: The supplied UserID is invalid."))
        XCTAssertTrue(SysproFacts.isInvalidSession("error: the supplied userid is invalid"))
        XCTAssertFalse(SysproFacts.isInvalidSession("ERROR: Invalid operator password"))
    }

    func testRowVersionReadsBase64AndHex() {
        XCTAssertEqual(RowVersion(odata: "AAAAAAAAB9E=")?.value, 2001)
        XCTAssertEqual(RowVersion(odata: "AAAAAAAAB9E")?.value, 2001, "unpadded")
        XCTAssertEqual(RowVersion(odata: "0x00000000000007D1")?.value, 2001)
        XCTAssertEqual(RowVersion(odata: "0x7d1")?.value, 2001)
        XCTAssertEqual(RowVersion(odata: "00000000000007D1")?.value, 2001, "bare 16 hex digits")
        XCTAssertEqual(RowVersion(odata: "__________8=")?.value, UInt64.max, "base64url alphabet")
        XCTAssertEqual(RowVersion(odata: "//////////8=")?.value, UInt64.max)
        XCTAssertNil(RowVersion(odata: "AAAAAAAAAAAAAA=="), "9+ bytes is no rowversion")
        XCTAssertNil(RowVersion(odata: "0x"))
        XCTAssertNil(RowVersion(odata: "not a version!"))
        XCTAssertEqual(RowVersion(json: .string("0x10"))?.value, 16)
        XCTAssertEqual(RowVersion(json: .number(42))?.value, 42)
    }

    /// The byte-level reader agrees with the general base64 decoder (after the url-safe
    /// mapping and padding) on every short string over the base64 alphabet and `=`, and
    /// writes back what it read.
    func testRowVersionBase64AgreesWithTheBase64Decoder() {
        let alphabet = Array("AZaz09+/-_=".utf8) + Array("Qw8=".utf8)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...14, using: &rng)
            let text = String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
            var mapped = Array(text.utf8).map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
            while mapped.count % 4 != 0 { mapped.append(UInt8(ascii: "=")) }
            let isHex = length == 16 || text.lowercased().hasPrefix("0x")
            guard !isHex else { continue }
            let reference = Base64.decode(String(decoding: mapped, as: UTF8.self))
                .flatMap { !$0.isEmpty && $0.count <= 8 ? $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil }
            XCTAssertEqual(RowVersion(odata: text)?.value, reference, text)
        }
        for value: UInt64 in [0, 1, 2001, 0xDEAD_BEEF, UInt64.max] {
            XCTAssertEqual(RowVersion(odata: RowVersion(value).hex)?.value, value)
        }
    }

    func testRowVersionFormatsAndComparesUnsigned() throws {
        let v = RowVersion(2001)
        XCTAssertEqual(v.odataLiteral, "binary'AAAAAAAAB9E='")
        XCTAssertEqual(v.hex, "0x00000000000007D1")
        XCTAssertEqual(RowVersion(odata: v.odataLiteral.dropFirst(7).dropLast().description), v)
        XCTAssertLessThan(RowVersion(0x7FFF_FFFF_FFFF_FFFF), RowVersion(0x8000_0000_0000_0000))
        let data = try JSON.encode([v])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"0x00000000000007D1\"]")
        XCTAssertEqual(try JSON.decoder.decode([RowVersion].self, from: data), [v])
    }

    func testODataFilterLiterals() {
        XCTAssertEqual(ODataFilter.string("O'Neil"), "'O''Neil'")
        XCTAssertEqual(ODataFilter.eq("CustomerPoNumber", "SB1'"), "CustomerPoNumber eq 'SB1'''")
        XCTAssertEqual(ODataFilter.anyOf("StockCode", ["A", "B"]), "StockCode eq 'A' or StockCode eq 'B'")
    }
}

/// ARSSCS documents and answers (docs/vendors/syspro.md, "Customer maintenance: ARSSCS Setup/Update").
final class CustomerMaintenanceTests: XCTestCase {
    func testTheDocumentNamesTheCustomerAndOnlyTheFieldsChanged() throws {
        let xml = try CustomerMaintenance.xmlIn(customer: "0000102", [(.customerClass, "KA")])
        XCTAssertEqual(xml, "<SetupArCustomer><Item><Key><Customer>0000102</Customer></Key><CustomerClass>KA</CustomerClass></Item></SetupArCustomer>")
        XCTAssertTrue(CustomerMaintenance.parameters(validateOnly: true).contains("<ValidateOnly>Y</ValidateOnly>"))
        XCTAssertThrowsError(try CustomerMaintenance.xmlIn(customer: "0000102", [(.termsCode, "ABC")]), "3 characters: SYSPRO takes 2")
        XCTAssertThrowsError(try CustomerMaintenance.xmlIn(customer: "0000102", [(.termsCode, " ")]))
        XCTAssertThrowsError(try CustomerMaintenance.xmlIn(customer: "", [(.termsCode, "30")]))
    }

    func testARefusedFieldInTheRecordedSetupShapeIsARefusalWithSysprosWords() throws {
        let answer = try XML.parse("""
        <?xml version="1.0" encoding="Windows-1252"?>
        <setuparcustomer Language='05' Version='7.0.026'>
        <item>
        <key>
        <customer>0000102</customer>
        </key>
        <customerclass>
        <Value>ZZ</Value>
        <ErrorNumber>110010</ErrorNumber>
        <ErrorDescription>Customer class 'ZZ' not found</ErrorDescription>
        </customerclass>
        </item>
        <StatusOfItems>
        <RecordsRead>1</RecordsRead>
        <RecordsInvalid>1</RecordsInvalid>
        </StatusOfItems>
        </setuparcustomer>
        """)
        guard case .refused(let errors) = CustomerMaintenance.outcome(answer) else { return XCTFail() }
        XCTAssertEqual(errors, ["customerclass 'ZZ' [110010]: Customer class 'ZZ' not found"])
    }

    func testACleanAnswerIsAppliedAndOneWithoutCountsIsUnclear() throws {
        let clean = try XML.parse("<setuparcustomer><item><key><customer>1</customer></key></item><StatusOfItems><RecordsRead>000001</RecordsRead><RecordsInvalid>000000</RecordsInvalid></StatusOfItems></setuparcustomer>")
        XCTAssertEqual(CustomerMaintenance.outcome(clean), .applied)
        XCTAssertEqual(CustomerMaintenance.outcome(try XML.parse("<setuparcustomer><item/></setuparcustomer>")), .unclear)
    }
}
