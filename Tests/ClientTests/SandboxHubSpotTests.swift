import ConnectorKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import Sandbox
import XCTest

/// HubSpot calls against the sandbox with its private app token.
class HubSpotSandboxTestCase: SandboxTestCase {
    let token = ["Authorization": "Bearer " + SeedData.hubSpotToken, "Content-Type": "application/json"]

    @discardableResult
    func hs(_ method: String, _ path: String, _ json: String? = nil, query: [(String, String)] = []) async throws -> HTTPResult {
        try await request(method, "/hubspot" + path, query: query, headers: token, body: json.map { Data($0.utf8) })
    }

    func uniqueProperty(_ type: String, _ name: String) async throws {
        let r = try await hs("POST", "/crm/v3/properties/\(type)",
                             #"{"name":"\#(name)","label":"\#(name)","type":"string","fieldType":"text","groupName":"syspro","hasUniqueValue":true}"#)
        XCTAssertEqual(r.status, 201, r.text)
    }

    func create(_ type: String, _ properties: String) async throws -> String {
        let r = try await hs("POST", "/crm/v3/objects/\(type)", #"{"properties":\#(properties)}"#)
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap(r.json["id"]?.string)
    }
}

final class SandboxHubSpotTests: HubSpotSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(hubspotTier: .custom(perTenSeconds: 1000)) }

    func testBatchUpsertCreatesThenUpdatesByUniquePropertyAndSaysWhichIsNew() async throws {
        try await uniqueProperty("companies", "syspro_customer_code")
        let first = try await hs("POST", "/crm/v3/objects/companies/batch/upsert", #"""
            {"inputs":[{"id":"0000102","idProperty":"syspro_customer_code","properties":{"name":"Northwind Boutique"}},
                       {"id":"0000104","idProperty":"syspro_customer_code","properties":{"name":"Metro Department Stores"}}]}
            """#)
        XCTAssertEqual(first.status, 200, first.text)
        XCTAssertEqual(first.json["status"]?.string, "COMPLETE")
        let made = try XCTUnwrap(first.json["results"]?.array)
        XCTAssertEqual(made.map { $0["new"] }, [.bool(true), .bool(true)])
        let northwind = made.first { $0["properties"]?["syspro_customer_code"]?.string == "0000102" }?["id"]?.string
        let again = try await hs("POST", "/crm/v3/objects/companies/batch/upsert", #"""
            {"inputs":[{"id":"0000102","idProperty":"syspro_customer_code","properties":{"name":"Northwind Boutique LLC"}}]}
            """#)
        XCTAssertEqual(again.json["results"]?.array?.first?["new"], .bool(false))
        XCTAssertEqual(again.json["results"]?.array?.first?["id"]?.string, northwind)
        let all = try await get("/_control/hubspot/objects/companies").json.array ?? []
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(all.first { $0["id"]?.string == northwind }?["properties"]?["name"]?.string, "Northwind Boutique LLC")
        let counts = try await get("/_control/hubspot/counts").json
        XCTAssertEqual(counts["calls"]?["batch_upsert"]?.int64, 2)
        XCTAssertEqual(counts["calls"]?["properties"]?.int64, 1)
        XCTAssertEqual(counts["objects"]?["companies"]?.int64, 2)
    }

    func testPartialBatchFailureAnswers207WithErrorsNamingTheFailingInputs() async throws {
        try await uniqueProperty("contacts", "syspro_customer_code")
        let r = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", #"""
            {"inputs":[{"id":"0000102","idProperty":"syspro_customer_code","properties":{"email":"buyer@northwind-boutique.example"}},
                       {"id":"0000107","idProperty":"syspro_customer_code","properties":{"email":"accounts(at)bayviewgoods.example"}},
                       {"id":"0000105","idProperty":"syspro_customer_code","properties":{"no_such_property":"x"}}]}
            """#)
        XCTAssertEqual(r.status, 207, r.text)
        XCTAssertEqual(r.json["results"]?.array?.count, 1)
        XCTAssertEqual(r.json["numErrors"]?.int64, 2)
        let errors = try XCTUnwrap(r.json["errors"]?.array)
        XCTAssertEqual(errors.map { $0["context"]?["id"]?.array?.first?.string }, ["0000107", "0000105"])
        XCTAssertEqual(errors.map { $0["category"]?.string }, ["VALIDATION_ERROR", "VALIDATION_ERROR"])
        XCTAssertEqual(errors.map { $0["status"]?.string }, ["error", "error"])
        XCTAssertTrue(errors[0]["message"]?.string?.contains("INVALID_EMAIL") ?? false)
        XCTAssertTrue(errors[1]["message"]?.string?.contains("PROPERTY_DOESNT_EXIST") ?? false)

        let invoices = try await hs("POST", "/crm/v3/objects/invoices/batch/create", #"""
            {"inputs":[{"properties":{"hs_currency":"USD"}},{"properties":{"hs_currency":"$"},"objectWriteTraceId":"100232"},
                       {"properties":{"hs_currency":"USD","hs_invoice_status":"sent"},"objectWriteTraceId":"100233"}]}
            """#)
        XCTAssertEqual(invoices.status, 207)
        XCTAssertEqual(invoices.json["errors"]?.array?.compactMap { $0["context"]?["objectWriteTraceId"]?.array?.first?.string }, ["100232", "100233"])
        XCTAssertTrue(invoices.json["errors"]?.array?.allSatisfy { $0["message"]?.string?.contains("INVALID_OPTION") ?? false } ?? false)
    }

    func testContactsUpsertedByEmailFailAsAWholeInsteadOfPartially() async throws {
        let r = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", #"""
            {"inputs":[{"id":"buyer@northwind-boutique.example","idProperty":"email","properties":{"firstname":"Avery"}},
                       {"id":"orders@harborpine.example","idProperty":"email","properties":{"hs_currency":"USD"}}]}
            """#)
        XCTAssertEqual(r.status, 400, r.text)
        XCTAssertEqual(r.json["category"]?.string, "VALIDATION_ERROR")
        XCTAssertEqual(r.json["errors"]?.array?.first?["context"]?["id"]?.array?.first?.string, "orders@harborpine.example")
        let contacts = try await get("/_control/hubspot/objects/contacts").json.array
        XCTAssertEqual(contacts?.count, 0, "nothing written")
        let ok = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", #"""
            {"inputs":[{"id":"Buyer@Northwind-Boutique.example","idProperty":"email","properties":{"firstname":"Avery"}}]}
            """#)
        XCTAssertEqual(ok.json["results"]?.array?.first?["new"], .bool(true))
        let same = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", #"""
            {"inputs":[{"id":"buyer@northwind-boutique.example","idProperty":"email","properties":{"lastname":"Chen"}}]}
            """#)
        XCTAssertEqual(same.json["results"]?.array?.first?["new"], .bool(false), "email matches without case")
    }

    func testUniqueValueCannotBeHeldByASecondRecord() async throws {
        try await uniqueProperty("invoices", "syspro_invoice_key")
        _ = try await create("invoices", #"{"hs_currency":"USD","syspro_invoice_key":"0000102/100231/I"}"#)
        let second = try await hs("POST", "/crm/v3/objects/invoices", #"{"properties":{"hs_currency":"USD","syspro_invoice_key":"0000102/100231/I"}}"#)
        XCTAssertEqual(second.status, 409)
        XCTAssertEqual(second.json["category"]?.string, "CONFLICT")
        XCTAssertEqual(second.json["status"]?.string, "error")
        let contact = try await create("contacts", #"{"email":"hello@sunsetsurf.example"}"#)
        let dup = try await hs("POST", "/crm/v3/objects/contacts", #"{"properties":{"email":"HELLO@sunsetsurf.example"}}"#)
        XCTAssertEqual(dup.status, 409)
        XCTAssertEqual(dup.json["message"]?.string, "Contact already exists. Existing ID: \(contact)")
    }

    func testBatchOfMoreThan100InputsIsRefusedWhole() async throws {
        let inputs = (1...101).map { #"{"properties":{"name":"Line \#($0)","quantity":"1","price":"2"}}"# }.joined(separator: ",")
        let r = try await hs("POST", "/crm/v3/objects/line_items/batch/create", #"{"inputs":[\#(inputs)]}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json["category"]?.string, "VALIDATION_ERROR")
        XCTAssertNotNil(r.json["correlationId"]?.string)
        let counts = try await get("/_control/hubspot/counts").json
        XCTAssertEqual(counts["objects"]?["line_items"]?.int64, 0)
    }

    func testDefaultAssociationsAreCreatedBothWaysAndReadBack() async throws {
        let company = try await create("companies", #"{"name":"Sunset Surf Co."}"#)
        let contact = try await create("contacts", #"{"email":"hello@sunsetsurf.example"}"#)
        let put = try await hs("PUT", "/crm/v4/objects/contacts/\(contact)/associations/default/companies/\(company)")
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(Set(put.json["results"]?.array?.compactMap { $0["associationSpec"]?["associationTypeId"]?.int64 } ?? []), [279, 280])
        let back = try await hs("GET", "/crm/v4/objects/companies/\(company)/associations/contacts")
        XCTAssertEqual(back.json["results"]?.array?.first?["toObjectId"]?.int64, Int64(contact))
        XCTAssertEqual(back.json["results"]?.array?.first?["associationTypes"]?.array?.first?["typeId"]?.int64, 280)

        let invoice = try await create("invoices", #"{"hs_currency":"USD"}"#)
        let lines = [try await create("line_items", #"{"name":"Tee","quantity":"60","price":"8.24"}"#),
                     try await create("line_items", #"{"name":"Cap","quantity":"40","price":"10.97"}"#)]
        let batch = try await hs("POST", "/crm/v4/associations/invoices/line_items/batch/associate/default",
                                 #"{"inputs":[{"from":{"id":"\#(invoice)"},"to":{"id":"\#(lines[0])"}},{"from":{"id":"\#(invoice)"},"to":{"id":"\#(lines[1])"}},{"from":{"id":"\#(invoice)"},"to":{"id":"999999"}}]}"#)
        XCTAssertEqual(batch.status, 207)
        XCTAssertEqual(batch.json["errors"]?.array?.first?["context"]?["toId"]?.array?.first?.string, "999999")
        XCTAssertTrue(batch.json["results"]?.array?.contains { $0["associationSpec"]?["associationTypeId"]?.int64 == 409 } ?? false)
        let read = try await hs("POST", "/crm/v4/associations/line_items/invoices/batch/read", #"{"inputs":[{"id":"\#(lines[1])"}]}"#)
        XCTAssertEqual(read.json["results"]?.array?.first?["to"]?.array?.first?["toObjectId"]?.int64, Int64(invoice))
        XCTAssertEqual(read.json["results"]?.array?.first?["to"]?.array?.first?["associationTypes"]?.array?.first?["typeId"]?.int64, 410)

        let other = try await create("invoices", #"{"hs_currency":"USD"}"#)
        let steal = try await hs("PUT", "/crm/v4/objects/invoices/\(other)/associations/default/line_items/\(lines[0])")
        XCTAssertEqual(steal.status, 400, "a line item has one parent")
        let stored = try await get("/_control/hubspot/objects/invoices").json.array?.first { $0["id"]?.string == invoice }
        XCTAssertEqual(stored?["associations"]?["line_items"]?.array?.compactMap(\.string), lines)
    }

    func testInvoiceOpensOnlyWithExactlyOneContactAndALineItem() async throws {
        let missingCurrency = try await hs("POST", "/crm/v3/objects/invoices", #"{"properties":{"hs_invoice_billable":false}}"#)
        XCTAssertEqual(missingCurrency.status, 400)
        let invoice = try await create("invoices", #"{"hs_currency":"USD","hs_invoice_billable":false,"hs_invoice_date":"2026-08-01"}"#)
        let early = try await hs("PATCH", "/crm/v3/objects/invoices/\(invoice)", #"{"properties":{"hs_invoice_status":"open"}}"#)
        XCTAssertEqual(early.status, 400, early.text)
        XCTAssertEqual(early.json["category"]?.string, "VALIDATION_ERROR")
        let contacts = [try await create("contacts", #"{"email":"a@x.example"}"#), try await create("contacts", #"{"email":"b@x.example"}"#)]
        let line = try await create("line_items", #"{"name":"Tee","quantity":"2","price":"8.24"}"#)
        for c in contacts { try await hs("PUT", "/crm/v4/objects/invoices/\(invoice)/associations/default/contacts/\(c)") }
        try await hs("PUT", "/crm/v4/objects/invoices/\(invoice)/associations/default/line_items/\(line)")
        let twoContacts = try await hs("PATCH", "/crm/v3/objects/invoices/\(invoice)", #"{"properties":{"hs_invoice_status":"open"}}"#)
        XCTAssertEqual(twoContacts.status, 400, "exactly one contact")

        let single = try await create("invoices", #"{"hs_currency":"USD"}"#)
        try await hs("PUT", "/crm/v4/objects/invoices/\(single)/associations/default/contacts/\(contacts[0])")
        let line2 = try await create("line_items", #"{"name":"Cap","quantity":"1","price":"10.97"}"#)
        try await hs("PUT", "/crm/v4/objects/invoices/\(single)/associations/default/line_items/\(line2)")
        let open = try await hs("PATCH", "/crm/v3/objects/invoices/\(single)", #"{"properties":{"hs_invoice_status":"open"}}"#)
        XCTAssertEqual(open.status, 200, open.text)
        XCTAssertEqual(open.json["properties"]?["hs_invoice_status"]?.string, "open")
        let back = try await hs("PATCH", "/crm/v3/objects/invoices/\(single)", #"{"properties":{"hs_invoice_status":"draft"}}"#)
        XCTAssertEqual(back.status, 400, "no way back to draft")
        let paid = try await hs("PATCH", "/crm/v3/objects/invoices/\(single)", #"{"properties":{"hs_invoice_status":"paid"}}"#)
        XCTAssertEqual(paid.status, 200)
    }

    func testSearchPagesUpTo200AndRefusesToPageBeyond10000Results() async throws {
        for batch in 0..<3 {
            let inputs = (1...100).map { #"{"properties":{"name":"Line \#(batch * 100 + $0)","hs_sku":"\#($0 % 2 == 0 ? "TS-BLU-M" : "AC-CAP-NAV")","quantity":"\#($0)","price":"1"}}"# }
            let r = try await hs("POST", "/crm/v3/objects/line_items/batch/create", #"{"inputs":[\#(inputs.joined(separator: ","))]}"#)
            XCTAssertEqual(r.status, 201)
        }
        let filter = #""filterGroups":[{"filters":[{"propertyName":"hs_sku","operator":"EQ","value":"TS-BLU-M"}]},{"filters":[{"propertyName":"quantity","operator":"LT","value":"4"}]}]"#
        let first = try await hs("POST", "/crm/v3/objects/line_items/search", #"{\#(filter),"limit":100,"properties":["hs_sku","quantity"]}"#)
        XCTAssertEqual(first.status, 200, first.text)
        XCTAssertEqual(first.json["total"]?.int64, 156, "150 TS-BLU-M, plus quantities 1 and 3 in each of 3 batches")
        XCTAssertEqual(first.json["results"]?.array?.count, 100)
        XCTAssertNil(first.header("X-HubSpot-RateLimit-Max"), "search answers carry no rate-limit headers")
        let after = try XCTUnwrap(first.json["paging"]?["next"]?["after"]?.string)
        let second = try await hs("POST", "/crm/v3/objects/line_items/search", #"{\#(filter),"limit":100,"after":"\#(after)"}"#)
        XCTAssertEqual(second.json["results"]?.array?.count, 56)
        XCTAssertNil(second.json["paging"])
        try await Task.sleep(for: .milliseconds(1100))
        let tooBig = try await hs("POST", "/crm/v3/objects/line_items/search", #"{"limit":201}"#)
        XCTAssertEqual(tooBig.status, 400)
        let last = try await hs("POST", "/crm/v3/objects/line_items/search", #"{"limit":200,"after":"9999"}"#)
        XCTAssertEqual(last.status, 200)
        let beyond = try await hs("POST", "/crm/v3/objects/line_items/search", #"{"limit":200,"after":"10000"}"#)
        XCTAssertEqual(beyond.status, 400)
        XCTAssertEqual(beyond.json["category"]?.string, "VALIDATION_ERROR")
    }

    func testSearchHasItsOwnFivePerSecondLimitAnsweredWithoutHeaders() async throws {
        for _ in 1...5 {
            let ok = try await hs("POST", "/crm/v3/objects/contacts/search", "{}")
            XCTAssertEqual(ok.status, 200)
        }
        let limited = try await hs("POST", "/crm/v3/objects/contacts/search", "{}")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.json["policyName"]?.string, "SECONDLY")
        XCTAssertEqual(limited.json["category"]?.string, "RATE_LIMITS")
        XCTAssertNil(limited.header("X-HubSpot-RateLimit-Remaining"))
        let other = try await hs("GET", "/crm/v3/objects/contacts")
        XCTAssertEqual(other.status, 200, "the search limit leaves other endpoints alone")
        XCTAssertNotNil(other.header("X-HubSpot-RateLimit-Remaining"))
    }

    func testCreatingAnExistingPropertyIs409AndDefaultsAreListed() async throws {
        try await uniqueProperty("companies", "syspro_customer_code")
        let again = try await hs("POST", "/crm/v3/properties/companies",
                                 #"{"name":"syspro_customer_code","label":"x","type":"string","fieldType":"text","groupName":"syspro","hasUniqueValue":true}"#)
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.json["category"]?.string, "OBJECT_ALREADY_EXISTS")
        let one = try await hs("GET", "/crm/v3/properties/companies/syspro_customer_code")
        XCTAssertEqual(one.json["hasUniqueValue"], .bool(true))
        let status = try await hs("GET", "/crm/v3/properties/invoices/hs_invoice_status")
        XCTAssertEqual(status.json["options"]?.array?.compactMap { $0["value"]?.string }, ["draft", "open", "paid", "voided"])
        let lineProps = try await hs("GET", "/crm/v3/properties/line_items").json["results"]?.array?.compactMap { $0["name"]?.string } ?? []
        XCTAssertTrue(Set(["name", "quantity", "price", "hs_sku", "amount"]).isSubset(of: Set(lineProps)))
        let badType = try await hs("POST", "/crm/v3/properties/companies", #"{"name":"x","label":"x","type":"text","fieldType":"text","groupName":"g"}"#)
        XCTAssertEqual(badType.status, 400)
    }

    func testMissingOrWrongTokenIs401InHubSpotsErrorShape() async throws {
        for headers in [[:], ["Authorization": "Bearer pat-na1-wrong"]] {
            let r = try await request("GET", "/hubspot/crm/v3/objects/contacts", headers: headers)
            XCTAssertEqual(r.status, 401)
            XCTAssertEqual(r.json["status"]?.string, "error")
            XCTAssertEqual(r.json["category"]?.string, "INVALID_AUTHENTICATION")
            XCTAssertFalse(r.json["correlationId"]?.string?.isEmpty ?? true)
            XCTAssertNotNil(r.json["message"]?.string)
        }
        let creds = try await get("/_control/credentials").json
        XCTAssertEqual(creds["hubspot"]?["token"]?.string, SeedData.hubSpotToken)
        XCTAssertEqual(creds["hubspot"]?["tier"]?.string, "1000")
    }

    func testHubSpotFaultAnswersInHubSpotsShapeAndIsConsumed() async throws {
        let add = try await postJSON("/_control/faults", #"{"service":"hubspot","path_contains":"/batch/upsert","status":429}"#)
        XCTAssertEqual(add.status, 201)
        let body = #"{"inputs":[{"id":"a@b.example","idProperty":"email","properties":{}}]}"#
        let hit = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", body)
        XCTAssertEqual(hit.status, 429)
        XCTAssertEqual(hit.json["policyName"]?.string, "TEN_SECONDLY_ROLLING")
        let after = try await hs("POST", "/crm/v3/objects/contacts/batch/upsert", body)
        XCTAssertEqual(after.status, 200)
    }

    func testReadAndListByIdPropertyAndRequestedProperties() async throws {
        try await uniqueProperty("companies", "syspro_customer_code")
        for code in ["0000100", "0000101", "0000102"] { _ = try await create("companies", #"{"name":"C \#(code)","syspro_customer_code":"\#(code)"}"#) }
        let one = try await hs("GET", "/crm/v3/objects/companies/0000101", query: [("idProperty", "syspro_customer_code"), ("properties", "name,phone")])
        XCTAssertEqual(one.json["properties"]?["name"]?.string, "C 0000101")
        XCTAssertEqual(one.json["properties"]?["phone"], .null, "requested but unset")
        let page = try await hs("GET", "/crm/v3/objects/companies", query: [("limit", "2")])
        XCTAssertEqual(page.json["results"]?.array?.count, 2)
        let after = try XCTUnwrap(page.json["paging"]?["next"]?["after"]?.string)
        let rest = try await hs("GET", "/crm/v3/objects/companies", query: [("limit", "2"), ("after", after)])
        XCTAssertEqual(rest.json["results"]?.array?.count, 1)
        XCTAssertNil(rest.json["paging"])
        let read = try await hs("POST", "/crm/v3/objects/companies/batch/read",
                                #"{"idProperty":"syspro_customer_code","properties":["name"],"inputs":[{"id":"0000102"},{"id":"0000999"}]}"#)
        XCTAssertEqual(read.status, 207)
        XCTAssertEqual(read.json["errors"]?.array?.first?["category"]?.string, "OBJECT_NOT_FOUND")
        XCTAssertEqual(read.json["errors"]?.array?.first?["context"]?["ids"]?.array?.first?.string, "0000999")
    }
}

/// A 10-second budget of 3 calls, to reach TEN_SECONDLY_ROLLING quickly.
final class SandboxHubSpotLimitTests: HubSpotSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(hubspotTier: .custom(perTenSeconds: 3)) }

    func testEveryAnswerCarriesRateLimitHeadersAndThe429NamesTheRollingPolicy() async throws {
        var remaining: [String?] = []
        for _ in 1...3 {
            let r = try await hs("GET", "/crm/v3/objects/companies")
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.header("X-HubSpot-RateLimit-Max"), "3")
            XCTAssertEqual(r.header("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000")
            XCTAssertEqual(r.header("X-HubSpot-RateLimit-Daily"), "1000000")
            remaining.append(r.header("X-HubSpot-RateLimit-Remaining"))
        }
        XCTAssertEqual(remaining, ["2", "1", "0"])
        let limited = try await hs("GET", "/crm/v3/objects/companies")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.json["policyName"]?.string, "TEN_SECONDLY_ROLLING")
        XCTAssertEqual(limited.json["category"]?.string, "RATE_LIMITS")
        XCTAssertEqual(limited.json["errorType"]?.string, "RATE_LIMIT")
        XCTAssertEqual(limited.json["status"]?.string, "error")
        XCTAssertEqual(limited.header("X-HubSpot-RateLimit-Remaining"), "0")
        XCTAssertEqual(limited.header("X-HubSpot-RateLimit-Daily-Remaining"), String(1_000_000 - 3))
        let counts = try await get("/_control/hubspot/counts").json
        XCTAssertEqual(counts["rate_limited"]?.int64, 1)
    }
}

/// A daily budget of 2 calls, to reach the DAILY policy.
final class SandboxHubSpotDailyLimitTests: HubSpotSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(hubspotTier: .free, hubspotDailyLimit: 2) }

    func testTheDailyLimitAnswers429WithTheDailyPolicy() async throws {
        for _ in 1...2 {
            let ok = try await hs("GET", "/crm/v3/objects/contacts")
            XCTAssertEqual(ok.status, 200)
        }
        let limited = try await hs("GET", "/crm/v3/objects/contacts")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.json["policyName"]?.string, "DAILY")
        XCTAssertEqual(limited.header("X-HubSpot-RateLimit-Max"), "100")
        XCTAssertEqual(limited.header("X-HubSpot-RateLimit-Daily-Remaining"), "0")
    }
}
