import ConnectorKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import Sandbox
import TimeZones
import XCTest

/// The sandbox's HubSpot as people change it and as it fails:
/// docs/vendors/hubspot.md, "Archived and merged records"; docs/vendors/hubspot.md, "Batch errors are StandardError";
/// docs/vendors/hubspot.md, "Rate limits"; docs/vendors/hubspot.md, "Daily limit resets at the account's midnight".
final class SandboxHubSpotRecordsTests: HubSpotSandboxTestCase {
    override var options: SandboxOptions { SandboxOptions(hubspotTier: .custom(perTenSeconds: 1000)) }

    func testArchivedAndMergedRecordsLeaveWritesAndMergedIdsReadAsTheNewRecord() async throws {
        try await uniqueProperty("companies", "syspro_customer_code")
        let a = try await create("companies", #"{"name":"A","syspro_customer_code":"0000102"}"#)
        let b = try await create("companies", #"{"name":"B","syspro_customer_code":"0000104","phone":"555"}"#)
        let c = try await create("companies", #"{"name":"C","syspro_customer_code":"0000105"}"#)
        let deleted = try await hs("DELETE", "/crm/v3/objects/companies/\(c)")
        XCTAssertEqual(deleted.status, 204)
        let gone = try await hs("GET", "/crm/v3/objects/companies/\(c)")
        XCTAssertEqual(gone.status, 404)
        let merged = try await hs("POST", "/crm/v3/objects/companies/merge", #"{"primaryObjectId":"\#(a)","objectIdToMerge":"\#(b)"}"#)
        XCTAssertEqual(merged.status, 200, merged.text)
        let result = try XCTUnwrap(merged.json["id"]?.string)
        XCTAssertFalse([a, b].contains(result), "the merge makes a new record")
        XCTAssertEqual(merged.json["properties"]?["phone"]?.string, "555", "an empty value of the primary is filled from the merged record")
        XCTAssertEqual(merged.json["properties"]?["syspro_customer_code"]?.string, "0000102", "the primary keeps its unique value")
        for old in [a, b] {
            let read = try await hs("GET", "/crm/v3/objects/companies/\(old)")
            XCTAssertEqual(read.json["id"]?.string, result, "an id merged away reads as the merged record")
        }
        let update = try await hs("POST", "/crm/v3/objects/companies/batch/update", #"{"inputs":[{"id":"\#(b)","properties":{"name":"x"}}]}"#)
        XCTAssertEqual(update.status, 207, "writes naming a merged id find nothing")
        let read = try await hs("POST", "/crm/v3/objects/companies/batch/read",
                                #"{"idProperty":"syspro_customer_code","inputs":[{"id":"0000102"},{"id":"0000104"},{"id":"0000105"}]}"#)
        XCTAssertEqual(read.status, 207)
        XCTAssertEqual(read.json["results"]?.array?.compactMap { $0["id"]?.string }, [result], "the primary's key finds the merged record")
        let error = try XCTUnwrap(read.json["errors"]?.array?.first)
        XCTAssertEqual(error["context"]?["ids"]?.array?.compactMap(\.string), ["0000104", "0000105"], "the merged and the deleted keys find no record")
        XCTAssertEqual(error["category"]?.string, "OBJECT_NOT_FOUND")
        for key in ["status", "category", "message", "context", "errors", "links"] {
            XCTAssertNotNil(error[key], "a batch error is a StandardError: \(key)")
        }
        XCTAssertEqual(error["status"]?.string, "error")
    }

    func testAnInjected429CarriesTheRateLimitHeadersOfARealOne() async throws {
        _ = try await postJSON("/_control/faults", #"{"service":"hubspot","status":429}"#)
        let hit = try await hs("GET", "/crm/v3/properties/companies")
        XCTAssertEqual(hit.status, 429)
        XCTAssertEqual(hit.json["policyName"]?.string, "TEN_SECONDLY_ROLLING")
        XCTAssertEqual(hit.header("X-HubSpot-RateLimit-Remaining"), "0")
        XCTAssertEqual(hit.header("X-HubSpot-RateLimit-Max"), "1000")
        XCTAssertEqual(hit.header("X-HubSpot-RateLimit-Interval-Milliseconds"), "10000")
        XCTAssertNotNil(hit.header("X-HubSpot-RateLimit-Daily"))
    }

    func testAccountDetailsNameTheTimeZone() async throws {
        let r = try await hs("GET", "/account-info/v3/details")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["timeZone"]?.string, "America/New_York")
        XCTAssertNotNil(r.json["utcOffsetMilliseconds"])
        XCTAssertNotNil(r.json["portalId"])
    }

    func testTheDailyCountStartsAgainAtMidnightInTheAccountsZone() throws {
        let zone = try ZoneInfo(identifier: "America/New_York")
        var limiter = HubSpotRateLimiter()
        // 2026-12-07 04:59:59 UTC is 23:59:59 on the 6th in New York (EST, UTC-5).
        let beforeMidnight = 1_796_619_599.0
        guard case .allowed = limiter.admit("t", now: beforeMidnight - 100, perTenSeconds: 10, perDay: 1, zone: zone) else { return XCTFail("first call") }
        guard case .limited(let e, _) = limiter.admit("t", now: beforeMidnight, perTenSeconds: 10, perDay: 1, zone: zone) else { return XCTFail("spent") }
        XCTAssertEqual(e.policyName, "DAILY")
        guard case .allowed = limiter.admit("t", now: beforeMidnight + 1, perTenSeconds: 10, perDay: 1, zone: zone) else {
            return XCTFail("midnight in New York starts a new day, though it is 05:00 in UTC")
        }
    }

    func testBatchArchiveAndAGDPRDeleteRemoveRecordsAndFreeTheirKeys() async throws {
        let a = try await create("contacts", #"{"email":"a@example.com"}"#)
        let b = try await create("contacts", #"{"email":"b@example.com"}"#)
        let archived = try await hs("POST", "/crm/v3/objects/contacts/batch/archive", #"{"inputs":[{"id":"\#(a)"}]}"#)
        XCTAssertEqual(archived.status, 204)
        let deleted = try await hs("POST", "/crm/v3/objects/contacts/gdpr-delete", #"{"objectId":"b@example.com","idProperty":"email"}"#)
        XCTAssertEqual(deleted.status, 204)
        for id in [a, b] {
            let r = try await hs("GET", "/crm/v3/objects/contacts/\(id)")
            XCTAssertEqual(r.status, 404)
        }
        let again = try await create("contacts", #"{"email":"a@example.com"}"#)
        XCTAssertNotEqual(again, a, "the email is free again: a new contact")
    }
}
