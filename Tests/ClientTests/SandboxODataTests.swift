import ConnectorKit
import Foundation
import Sandbox
import XCTest

final class SandboxODataTests: SandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(odataPageSize: 10) }

    func testWithoutBasicAuthIs401WithChallenge() async throws {
        let r = try rawGET("/syspro/odata/InvMaster")
        XCTAssertTrue(r.hasPrefix("HTTP/1.1 401") || r.hasPrefix("HTTP/1.0 401"), r)
        XCTAssertTrue(r.lowercased().contains("www-authenticate: basic realm=\"syspro odata\""), r)
        let authed = try await odata("InvMaster", [("$top", "1")])
        XCTAssertEqual(authed.status, 200)
    }

    func testFilterSelectOrderbyAndCount() async throws {
        let r = try await odata("InvWarehouse", [
            ("$filter", "(Warehouse eq 'LA' or Warehouse eq 'NY') and startswith(StockCode,'JN-') and not (QtyOnHand lt 0)"),
            ("$select", "StockCode,Warehouse,QtyOnHand"), ("$orderby", "Warehouse desc,StockCode"), ("$count", "true"),
        ])
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertTrue(r.json["@odata.context"]!.string!.hasSuffix("/syspro/odata/$metadata#InvWarehouse(StockCode,Warehouse,QtyOnHand)"))
        XCTAssertEqual(r.json["@odata.count"]?.int64, 16)
        let rows = r.json["value"]!.array!
        XCTAssertEqual(rows.count, 10)
        XCTAssertEqual(rows.first?["Warehouse"]?.string, "NY")
        XCTAssertEqual(rows.first?["StockCode"]?.string, "JN-SLM-IND-30")
        XCTAssertEqual(rows.first?.object?.keys.sorted(), ["QtyOnHand", "StockCode", "Warehouse"])
        XCTAssertNotNil(rows.first?["QtyOnHand"]?.double)
    }

    func testServerPagingFollowsAbsoluteNextLinkUntilTheLastPage() async throws {
        var url: String? = base + "/syspro/odata/InvMaster"
        var codes: [String] = []
        var pages = 0
        while let next = url {
            let r = try await request("GET", String(next.dropFirst(base.count)), headers: odataAuth)
            XCTAssertEqual(r.status, 200, r.text)
            codes += r.json["value"]!.array!.compactMap { $0["StockCode"]?.string }
            url = r.json["@odata.nextLink"]?.string
            if let u = url { XCTAssertTrue(u.hasPrefix(base + "/syspro/odata/InvMaster?"), u) }
            pages += 1
        }
        XCTAssertEqual(pages, 4)
        XCTAssertEqual(codes.count, 33)
        XCTAssertEqual(Set(codes).count, 33)

        let topped = try await odata("InvMaster", [("$top", "12"), ("$skip", "5")])
        XCTAssertEqual(topped.json["value"]?.array?.count, 10)
        let link = topped.json["@odata.nextLink"]!.string!
        let rest = try await request("GET", String(link.dropFirst(base.count)), headers: odataAuth)
        XCTAssertEqual(rest.json["value"]?.array?.count, 2, "$top is honoured across pages")
        XCTAssertNil(rest.json["@odata.nextLink"])
    }

    /// The default server is as strict as OData 4.01 (docs/vendors/syspro.md, "OData binary
    /// comparisons"): TimeStamp is compared only to null with eq/ne, never ordered.
    func testBinaryOrderComparisonsAndOrderingByTimeStampAreRefusedByDefault() async throws {
        let one = try await odata("ArCustomer", [("$select", "Customer,TimeStamp"), ("$top", "1")])
        let stamp = one.json["value"]!.array![0]["TimeStamp"]!.string!
        for filter in ["TimeStamp gt binary'\(stamp)'", "TimeStamp ge binary'\(stamp)'", "TimeStamp lt X'00000000000007D0'",
                       "binary'\(stamp)' le TimeStamp", "TimeStamp eq binary'\(stamp)'", "Customer eq '0000100' and TimeStamp ne X'01'"] {
            let r = try await odata("ArCustomer", [("$filter", filter)])
            XCTAssertEqual(r.status, 400, filter)
            XCTAssertEqual(r.json["error"]?["code"]?.string, "BinaryComparisonNotSupported", filter)
            XCTAssertNotNil(r.json["error"]?["message"]?.string, filter)
        }
        for filter in ["TimeStamp ne null", "TimeStamp eq null"] {
            let r = try await odata("ArCustomer", [("$filter", filter)])
            XCTAssertEqual(r.status, 200, filter)
        }
        for order in ["TimeStamp", "TimeStamp desc", "Customer,TimeStamp"] {
            let r = try await odata("ArCustomer", [("$orderby", order)])
            XCTAssertEqual(r.status, 400, order)
            XCTAssertEqual(r.json["error"]?["code"]?.string, "BinaryOrderByNotSupported", order)
        }
    }

    /// The tables carry the columns of the published schema dumps and nothing else
    /// (docs/vendors/syspro.md, "Columns the connector reads"): ArInvoice has no Currency.
    func testSelectingAColumnSysproLacksIs400() async throws {
        for (set, column) in [("ArInvoice", "Currency"), ("SorDetail", "MCustomerPoLine"), ("InvMovements", "Notation"), ("InvMaster", "Nope")] {
            let r = try await odata(set, [("$select", "\(column)")])
            XCTAssertEqual(r.status, 400, "\(set).\(column)")
            XCTAssertTrue(r.json["error"]?["message"]?.string?.contains(column) ?? false, r.text)
        }
        let customer = try await odata("ArCustomer", [("$select", "Customer,Currency"), ("$top", "1")])
        XCTAssertEqual(customer.status, 200, customer.text)
        XCTAssertNotNil(customer.json["value"]?.array?.first?["Currency"]?.string)
        let master = try await odata("InvMaster", [("$select", "StockCode,Barcode,AlternateKey1"), ("$top", "1")])
        XCTAssertEqual(master.status, 200, master.text)
    }

    func testBadQueryIs400ODataErrorAndUnknownSetIs404() async throws {
        for filter in ["QtyOnHand eq 'x'", "Nope eq 1", "StockCode eq", "(Warehouse eq 'FG'"] {
            let r = try await odata("InvWarehouse", [("$filter", filter)])
            XCTAssertEqual(r.status, 400, filter)
            XCTAssertEqual(r.json["error"]?["code"]?.string, "", filter)
            XCTAssertNotNil(r.json["error"]?["message"]?.string, filter)
        }
        let top = try await odata("InvWarehouse", [("$top", "-1")])
        XCTAssertEqual(top.status, 400)
        let missing = try await odata("NoSuchSet")
        XCTAssertEqual(missing.status, 404)
    }

    func testMetadataDescribesEveryEntitySet() async throws {
        let r = try await get("/syspro/odata/$metadata", headers: odataAuth)
        XCTAssertEqual(r.status, 200)
        for set in ["InvMaster", "InvWarehouse", "InvPrice", "ArCustomer", "SorMaster", "SorDetail", "ArInvoice",
                    "ArTrnDetail", "PorMasterHdr", "PorMasterDetail", "ApInvoice", "ApSupplier"] {
            XCTAssertTrue(r.text.contains("<EntitySet Name=\"\(set)\""), set)
        }
        XCTAssertTrue(r.text.contains("<Property Name=\"TimeStamp\" Type=\"Edm.Binary\" Nullable=\"false\"/>"))
        let start = try XCTUnwrap(r.text.range(of: "<EntityType Name=\"ArInvoice\">"))
        let rest = r.text[start.lowerBound...]
        let invoiceType = String(rest[..<rest.range(of: "</EntityType>")!.lowerBound])
        XCTAssertFalse(invoiceType.contains("Name=\"Currency\""), "ArInvoice has no Currency column")
        XCTAssertTrue(invoiceType.contains("Name=\"CurrencyValue\""))
    }
}

/// A server that allows ordering TimeStamp (`ml-sandbox serve --odata-binary-compare`).
final class SandboxODataBinaryCompareTests: SandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(odataPageSize: 10, odataBinaryCompare: true) }

    func testTimeStampIsBase64RowversionAndComparesAsUnsigned64Bit() async throws {
        let all = try await odata("ArCustomer", [("$select", "Customer,TimeStamp"), ("$orderby", "TimeStamp")])
        let rows = all.json["value"]!.array!
        let third = rows[2]["TimeStamp"]!.string!
        XCTAssertEqual(Data(base64Encoded: third)?.count, 8)
        let after = try await odata("ArCustomer", [("$filter", "TimeStamp gt binary'\(third)'")])
        XCTAssertEqual(after.json["value"]?.array?.count, rows.count - 3)
        let hex = Data(base64Encoded: third)!.map { String(format: "%02X", $0) }.joined()
        let viaHex = try await odata("ArCustomer", [("$filter", "TimeStamp le X'\(hex)'")])
        XCTAssertEqual(viaHex.json["value"]?.array?.count, 3)
        // A value with the top bit set is larger than every rowversion, not negative.
        let huge = try await odata("ArCustomer", [("$filter", "TimeStamp ge X'8000000000000000'")])
        XCTAssertEqual(huge.json["value"]?.array?.count, 0)
    }
}

final class SandboxODataHexRowversionTests: SandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(rowversionFormat: .hex) }

    func testHexFormatShowsZeroXAndSixteenDigits() async throws {
        let r = try await odata("ApSupplier", [("$top", "1")])
        let ts = r.json["value"]!.array![0]["TimeStamp"]!.string!
        XCTAssertNotNil(ts.wholeMatch(of: #/0x[0-9A-F]{16}/#), ts)
    }
}
