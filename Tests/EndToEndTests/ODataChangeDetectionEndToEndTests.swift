import Foundation
import XCTest

/// The OData-reading jobs on both kinds of SYSPRO OData server (docs/vendors/syspro.md,
/// "OData binary comparisons"): one refusing `gt/ge/lt/le` and `$orderby` on TimeStamp
/// (ml-sandbox's default, read keyed) and one allowing them (`--odata-binary-compare`, read
/// by rowversion window): the mode probed, stored, shown and probed again after a 400;
/// changed, new and vanished rows; rows at page boundaries; an upgrade from state written
/// by the previous release.
final class ODataChangeDetectionEndToEndTests: EndToEndCase {
    var demo: DemoTenant?
    override func tearDown() { demo?.stop() }

    enum Server: String, CaseIterable {
        case strict, binaryCompare
        var args: [String] { self == .strict ? [] : ["--odata-binary-compare"] }
        var mode: String { self == .strict ? "keyed" : "binary-compare" }
    }

    /// A fresh sandbox and tenant; OData pages of `pageSize` rows.
    func start(_ server: Server, pageSize: Int = 2) throws -> DemoTenant {
        demo?.stop()
        let d = try DemoTenant(webStack: false, sandboxArgs: server.args + ["--odata-page-size", String(pageSize)])
        demo = d
        try d.editConfig { c in
            var syspro = c["syspro"] as! [String: Any]
            syspro["odata_page_size"] = pageSize
            c["syspro"] = syspro
        }
        return d
    }

    func lines(_ r: CommandResult) -> [[String: Any]] {
        r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    func poll(_ d: DemoTenant, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let r = try d.job("poll-syspro-inventory")
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return lines(r)
    }

    func table(_ d: DemoTenant, _ name: String) throws -> [[String: Any]] {
        try HTTP.json(d.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }

    func storedMode(_ d: DemoTenant) throws -> [String: Any]? {
        let path = d.tenantDir + "/state/syspro-odata.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
    }

    func key(_ o: [String: Any]) -> String { "\(o["stock_code"] as? String ?? o["StockCode"] as? String ?? "?")/\(o["warehouse"] as? String ?? o["Warehouse"] as? String ?? "?")" }

    func testInventoryPollFindsChangedAndNewRowsOnBothServersAndVanishedRowsWhereItReadsKeyed() throws {
        for server in Server.allCases {
            let d = try start(server)
            let first = try poll(d).filter { $0["kind"] as? String == "level" }
            let rows = try table(d, "InvWarehouse")
            XCTAssertEqual(Set(first.map(key)), Set(rows.map(key)), "\(server): every level once, across pages of 2")
            XCTAssertEqual(first.count, rows.count, "\(server)")
            XCTAssertEqual(try storedMode(d)?["mode"] as? String, server.mode)
            XCTAssertEqual(try poll(d).count, 0, "\(server): nothing changed, nothing printed")

            // Rows at both ends of the key order and one in the middle change, one is added,
            // one is deleted.
            let sorted = rows.map(key).sorted()
            let (firstRow, lastRow) = (sorted.first!, sorted.last!)
            func parts(_ k: String) -> [String: Any] { let p = k.split(separator: "/"); return ["StockCode": String(p[0]), "Warehouse": String(p[1])] }
            for k in [firstRow, lastRow] {
                _ = try d.control("POST", "/_control/syspro/tables/InvWarehouse", [parts(k).merging(["QtyOnHand": 4321]) { $1 }])
            }
            _ = try d.control("POST", "/_control/syspro/tables/InvWarehouse", [["StockCode": "TS-NEW-XL", "Warehouse": "FG", "QtyOnHand": 7]])
            let gone = sorted[sorted.count / 2 + 1]
            let deleted = try d.control("DELETE", "/_control/syspro/tables/InvWarehouse", [parts(gone)])
            XCTAssertEqual(deleted.status, 200, deleted.text)

            let second = try poll(d)
            let changed = second.filter { $0["vanished"] == nil }
            XCTAssertEqual(Set(changed.map(key)), [firstRow, lastRow, "TS-NEW-XL/FG"], "\(server)")
            XCTAssertTrue(changed.filter { $0["stock_code"] as? String != "TS-NEW-XL" }.allSatisfy { ($0["qty_on_hand"] as? NSNumber)?.doubleValue == 4321 })
            let vanished = second.filter { $0["vanished"] as? Bool == true }
            let stored = try String(contentsOfFile: d.tenantDir + "/inventory/levels/\(parts(gone)["Warehouse"]!).json", encoding: .utf8)
            switch server {
            case .strict:
                XCTAssertEqual(vanished.map(key), [gone], "a keyed read notices the deleted row")
                XCTAssertFalse(stored.contains("\"\(gone.replacingOccurrences(of: "/", with: "|"))\""), "and forgets it")
            case .binaryCompare:
                XCTAssertEqual(vanished.count, 0, "a rowversion window cannot see a delete")
            }
            XCTAssertEqual(try poll(d).count, 0, "\(server): each change printed once")
        }
    }

    /// A tenant whose stored mode says the server allows binary comparisons, on a server
    /// that now refuses them: the 400 makes the job probe again, store `keyed` and finish
    /// the same run keyed; ping probes afresh and status shows what is stored.
    func testARefusedRowversionFilterProbesAgainAndTheRunFinishesKeyed() throws {
        let d = try start(.strict)
        XCTAssertNil(try storedMode(d), "nothing probed before the first job")
        let status0 = try d.job("ml-connector", ["status"])
        XCTAssertTrue(status0.stdout.contains("SYSPRO OData change detection: not probed yet"), status0.stdout)

        _ = try poll(d)
        XCTAssertEqual(try storedMode(d)?["mode"] as? String, "keyed")
        try #"{"evidence":"an older probe","mode":"binary-compare","probed_at":"2026-01-01T00:00:00Z"}"#
            .write(toFile: d.tenantDir + "/state/syspro-odata.json", atomically: true, encoding: .utf8)
        _ = try d.control("POST", "/_control/syspro/tables/InvWarehouse", [["StockCode": "TS-WHT-M", "Warehouse": "NY", "QtyOnHand": 99]])
        let after = try poll(d)
        XCTAssertEqual(after.map(key), ["TS-WHT-M/NY"], "the change is found in the same run")
        let stored = try XCTUnwrap(try storedMode(d))
        XCTAssertEqual(stored["mode"] as? String, "keyed")
        XCTAssertTrue((stored["evidence"] as? String ?? "").contains("HTTP 400"), "\(stored)")
        XCTAssertNotEqual(stored["probed_at"] as? String, "2026-01-01T00:00:00Z")

        let status = try d.job("ml-connector", ["status"])
        XCTAssertTrue(status.stdout.contains("SYSPRO OData change detection: keyed (probed "), status.stdout)
        let json = try d.job("ml-connector", ["status", "--json"])
        XCTAssertTrue(json.stdout.contains("\"odataChangeDetection\""), json.stdout)
        let ping = try d.job("ml-connector", ["ping"])
        XCTAssertTrue(ping.stdout.contains("change detection: keyed"), ping.stdout)
    }

    func testPingShowsAServerAllowingBinaryComparisonsAndStoresIt() throws {
        let d = try start(.binaryCompare)
        let ping = try d.job("ml-connector", ["ping"])
        XCTAssertTrue(ping.stdout.contains("change detection: binary-compare"), ping.stdout)
        XCTAssertEqual(try storedMode(d)?["mode"] as? String, "binary-compare")
        let status = try d.job("ml-connector", ["status"])
        XCTAssertTrue(status.stdout.contains("SYSPRO OData change detection: binary-compare (probed "), status.stdout)
    }

    /// State as the previous release wrote it (a rowversion cursor and stores with each
    /// row's rowversion, no stored mode) against a strict server: the poll probes, reads
    /// keyed, and prints only what changed since.
    func testInventoryStateOfThePreviousReleaseKeepsWorkingOnAStrictServer() throws {
        let d = try start(.strict, pageSize: 5000)
        _ = try poll(d)
        try FileManager.default.removeItem(atPath: d.tenantDir + "/state/syspro-odata.json")
        let cursor = try String(contentsOfFile: d.tenantDir + "/cursors/poll-syspro-inventory.json", encoding: .utf8)
        XCTAssertNotNil(cursor.range(of: #""levels":"0x[0-9A-F]{16}""#, options: .regularExpression), cursor)
        _ = try d.control("POST", "/_control/syspro/tables/InvWarehouse", [["StockCode": "HD-GRY-S", "Warehouse": "NY", "QtyOnHand": 3]])
        XCTAssertEqual(try poll(d).map(key), ["HD-GRY-S/NY"])
        XCTAssertEqual(try storedMode(d)?["mode"] as? String, "keyed")
    }

    func hubspotObjects(_ d: DemoTenant, _ type: String) throws -> [[String: Any]] {
        try HTTP.json(d.sandboxURL + "/_control/hubspot/objects/\(type)") as! [[String: Any]]
    }
    func prop(_ o: [String: Any], _ name: String) -> String? { (o["properties"] as? [String: Any])?[name] as? String }

    /// HubSpot write calls the last syspro-to-hubspot run made, from its "pass done" line.
    func hubspotWrites(_ r: CommandResult) -> [String] {
        guard let line = r.stderr.split(separator: "\n").last(where: { $0.contains("pass done") }),
              let calls = line.range(of: #"calls="[^"]*""#, options: .regularExpression) else { return ["?"] }
        return line[calls].dropFirst(7).dropLast().split(separator: ",").map(String.init)
            .filter { !$0.hasPrefix("read") && !$0.hasPrefix("create property") }
    }

    /// The invoice's currency is its customer's (ArInvoice has none); a changed customer,
    /// a new invoice and nothing else reach HubSpot, on both servers.
    func testHubSpotSyncSendsOnlyWhatChangedAndTakesTheCurrencyFromTheCustomer() throws {
        for server in Server.allCases {
            let d = try start(server, pageSize: 3)
            var r = try d.job("syspro-to-hubspot")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try hubspotObjects(d, "invoices").count, try table(d, "ArInvoice").count, "\(server)")
            r = try d.job("syspro-to-hubspot")
            XCTAssertEqual(hubspotWrites(r), [], "\(server): a rerun writes nothing")

            _ = try d.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000105", "Currency": "EUR", "Name": "Renamed Ltd"]])
            _ = try d.control("POST", "/_control/syspro/tables/ArInvoice", [[
                "Customer": "0000105", "Invoice": "100777", "DocumentType": "I", "InvoiceDate": "2026-08-21T00:00:00Z",
                "TermsCode": "30", "InvoiceBal1": 20, "CurrencyValue": 20]])
            _ = try d.control("POST", "/_control/syspro/tables/ArTrnDetail", [[
                "Invoice": "100777", "DetailLine": 1, "Customer": "0000105", "StockCode": "TS-WHT-M", "QtyInvoiced": 2, "NetSalesValue": 20]])
            r = try d.job("syspro-to-hubspot")
            XCTAssertEqual(r.status, 0, r.stderr)
            if server == .strict {
                XCTAssertTrue(r.stderr.contains("customers=1 invoices=1"), "only the changed rows are read into records: \(r.stderr)")
            }   // (a rowversion window re-reads its overlap; the digests keep that from HubSpot)
            let writes = hubspotWrites(r)
            XCTAssertTrue(writes.contains("upsert companies=1") && writes.contains("upsert invoices=1"), "\(server): \(writes)")
            let invoice = try XCTUnwrap(try hubspotObjects(d, "invoices").first { prop($0, "syspro_invoice_key") == "0000105-100777-I" })
            XCTAssertEqual(prop(invoice, "hs_currency"), "EUR", "ArCustomer.Currency")
            let company = try XCTUnwrap(try hubspotObjects(d, "companies").first { prop($0, "syspro_customer_code") == "0000105" })
            XCTAssertEqual(prop(company, "name"), "Renamed Ltd")
            r = try d.job("syspro-to-hubspot")
            XCTAssertEqual(hubspotWrites(r), [], "\(server): each change sent once")
        }
    }

    /// State as the previous release wrote it (rowversion cursors, HubSpot ids with what
    /// was sent; no stored mode, no rowversions per row) on a strict server: the first run
    /// reads every row once and re-sends nothing unchanged.
    func testHubSpotStateOfThePreviousReleaseResendsNothingOnAStrictServer() throws {
        let d = try start(.strict, pageSize: 5000)
        var r = try d.job("syspro-to-hubspot")
        XCTAssertEqual(r.status, 0, r.stderr)
        for file in ["state/syspro-odata.json", "state/syspro-to-hubspot/rowversions-ArCustomer.json", "state/syspro-to-hubspot/rowversions-ArInvoice.json"] {
            try FileManager.default.removeItem(atPath: d.tenantDir + "/" + file)
        }
        r = try d.job("syspro-to-hubspot")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(hubspotWrites(r), [], r.stderr)
        XCTAssertEqual(try storedMode(d)?["mode"] as? String, "keyed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: d.tenantDir + "/state/syspro-to-hubspot/rowversions-ArInvoice.json"))
        r = try d.job("syspro-to-hubspot")
        XCTAssertTrue(r.stderr.contains("customers=0 invoices=0"), r.stderr)
    }

    /// A kill while HubSpot holds the invoices, on the strict server: the rerun leaves one
    /// record each and the rowversions per row are stored only after the sync.
    func testAKilledKeyedHubSpotRunLosesAndDoublesNothing() throws {
        let d = try start(.strict, pageSize: 4)
        _ = try d.control("POST", "/_control/faults", ["service": "hubspot", "path_contains": "invoices/batch/upsert",
                                                      "delay_ms": 3000, "delay_after_commit": true, "count": 1])
        let p = try startProgram("syspro-to-hubspot", env: d.env)
        let deadline = Date().addingTimeInterval(20)
        while try hubspotObjects(d, "invoices").isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertTrue(p.isRunning, "killed while HubSpot holds the invoices but has not answered")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: d.tenantDir + "/state/syspro-to-hubspot/rowversions-ArInvoice.json"),
                       "no invoice counts as handled before HubSpot answered")
        _ = try d.control("DELETE", "/_control/faults")
        let r = try d.job("syspro-to-hubspot")
        XCTAssertEqual(r.status, 0, r.stderr)
        let invoices = try table(d, "ArInvoice"), held = try hubspotObjects(d, "invoices")
        XCTAssertEqual(held.count, invoices.count, "one HubSpot invoice per SYSPRO invoice")
        XCTAssertEqual(Set(held.compactMap { prop($0, "syspro_invoice_key") }).count, invoices.count)
    }
}

/// Tests of the other suites run again on a server allowing binary comparisons (their own
/// setUp uses the strict default).
extension PollInventoryEndToEndTests {
    func allowBinaryComparisons(_ extra: [String] = []) throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"] + extra)
    }

    func testOnlyTheLevelThatMovedIsPrintedOnAServerAllowingBinaryComparisons() throws {
        try allowBinaryComparisons()
        try testOnlyTheLevelThatMovedIsPrinted()
        XCTAssertTrue(try String(contentsOfFile: demo.tenantDir + "/state/syspro-odata.json", encoding: .utf8).contains("binary-compare"))
    }

    func testAChangeInsideTheOverlapIsNotLostOnAServerAllowingBinaryComparisons() throws {
        try allowBinaryComparisons()
        try testAChangeOlderThanTheCursorButInsideTheOverlapIsNotLost()
    }

    func testARowChangedDuringARunIsReadByTheNextRunOnAServerAllowingBinaryComparisons() throws {
        try allowBinaryComparisons()
        try testARowChangedDuringARunIsReadByTheNextRun()
    }

    func testWarehouseSelectionAndFullReconcileOnAServerAllowingBinaryComparisons() throws {
        try allowBinaryComparisons()
        try testWarehouseSelectionAndFullReconcile()
    }
}

extension HubSpotEndToEndTests {
    func testAKillMidwayThenARerunLeavesExactlyOneOfEachOnAServerAllowingBinaryComparisons() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"])
        try testAKillMidwayThenARerunLeavesExactlyOneOfEach()
    }

    func testEditsInSysproUpdateTheSameRecordsOnAServerAllowingBinaryComparisons() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"])
        try testEditsInSysproUpdateTheSameRecords()
    }
}

extension AlertsEndToEndTests {
    func testAPrintedOrderTextsEachPersonOnceOnAServerAllowingBinaryComparisons() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"])
        try testAPrintedOrderTextsEachPersonOnceAndRerunsSendNothing()
        XCTAssertTrue(try String(contentsOfFile: demo.tenantDir + "/state/syspro-odata.json", encoding: .utf8).contains("binary-compare"))
    }

    func testAKillBeforeTheOutboxIsSentQueuesNothingTwiceOnAServerAllowingBinaryComparisons() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"])
        try testAKillBeforeTheOutboxIsSentQueuesNothingTwice()
    }
}
