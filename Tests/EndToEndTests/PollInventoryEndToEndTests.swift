import Foundation
import XCTest

/// `poll-syspro-inventory` against the sandbox's OData: every level once, then only what
/// changed, with the rowversion cursor, overlap and ceiling doing their jobs.
final class PollInventoryEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    /// The changed levels a poll printed (with `kinds`, also items and prices).
    func poll(_ args: [String] = [], kinds: Set<String> = ["level"]) throws -> [[String: Any]] {
        let r = try demo.job("poll-syspro-inventory", args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { kinds.contains($0["kind"] as? String ?? "") }
    }

    func invWarehouseRows() throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/InvWarehouse") as! [[String: Any]]
    }

    /// Moves stock in SYSPRO the way a user would: an INVTMA adjustment through e.net.
    func adjust(_ stockCode: String, _ warehouse: String, by quantity: Int) throws {
        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let syspro = creds["syspro"] as! [String: String]
        func q(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let rest = demo.sandboxURL + "/syspro/SYSPROWCFService/Rest"
        let session = try HTTP.request("GET", rest + "/Logon?Operator=WEBSYNC&OperatorPassword=sandbox-websync&CompanyId=\(q(syspro["company_id"]!))")
            .text.trimmingCharacters(in: .whitespaces)
        let xml = "<PostInvAdjustments><Item><Warehouse>\(warehouse)</Warehouse><StockCode>\(stockCode)</StockCode><Quantity>\(quantity)</Quantity><Reference>TEST-\(UUID().uuidString.prefix(8))</Reference></Item></PostInvAdjustments>"
        let params = "<PostInvAdjustments><Parameters><IgnoreWarnings>N</IgnoreWarnings></Parameters></PostInvAdjustments>"
        let r = try HTTP.request("GET", rest + "/Transaction/Post?UserId=\(q(session))&BusinessObject=INVTMA&XmlParameters=\(q(params))&XmlIn=\(q(xml))")
        XCTAssertFalse(r.text.hasPrefix("ERROR"), r.text)
    }

    func testFirstRunPrintsEveryLevelAndASecondRunNothing() throws {
        let first = try poll()
        XCTAssertEqual(first.count, try invWarehouseRows().count)
        XCTAssertTrue(first.allSatisfy { $0["kind"] as? String == "level" && $0["stock_code"] != nil && $0["qty_on_hand"] != nil })
        XCTAssertEqual(try poll().count, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.tenantDir + "/cursors/poll-syspro-inventory.json"))
    }

    func testOnlyTheLevelThatMovedIsPrinted() throws {
        _ = try poll()
        let before = try invWarehouseRows().first { ($0["StockCode"] as? String) == "TS-WHT-M" && ($0["Warehouse"] as? String) == "NY" }!
        try adjust("TS-WHT-M", "NY", by: -5)
        let changed = try poll()
        XCTAssertEqual(changed.count, 1)
        XCTAssertEqual(changed.first?["stock_code"] as? String, "TS-WHT-M")
        XCTAssertEqual(changed.first?["warehouse"] as? String, "NY")
        XCTAssertEqual((changed.first?["qty_on_hand"] as? NSNumber)?.doubleValue, (before["QtyOnHand"] as! NSNumber).doubleValue - 5)
        XCTAssertEqual(try poll().count, 0)
    }

    func testAChangeOlderThanTheCursorButInsideTheOverlapIsNotLost() throws {
        _ = try poll()
        // Simulate a transaction that committed a lower rowversion after the cursor moved:
        // the cursor is pushed past the newest row, the change then lands below it.
        let cursorPath = demo.tenantDir + "/cursors/poll-syspro-inventory.json"
        try adjust("TS-BLK-L", "FG", by: 3)
        let text = try String(contentsOfFile: cursorPath, encoding: .utf8)
        let rowsMax = try invWarehouseRows().compactMap { row -> UInt64? in
            guard let b64 = row["TimeStamp"] as? String, let bytes = Data(base64Encoded: b64) else { return nil }
            return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }.max() ?? 0
        XCTAssertGreaterThan(rowsMax, 0, "the sandbox's rowversions were read")
        let ahead = String(format: "0x%016llX", rowsMax + 5)
        try text.replacingOccurrences(of: #"0x[0-9A-F]{16}"#, with: ahead, options: .regularExpression).write(toFile: cursorPath, atomically: true, encoding: .utf8)
        let changed = try poll()
        XCTAssertEqual(changed.map { $0["stock_code"] as? String }, ["TS-BLK-L"])
    }

    func testWarehouseSelectionAndFullReconcile() throws {
        try demo.editConfig { $0["inventory"] = ["warehouses": ["FG"], "include_prices": true, "price_code": "A"] }
        let first = try poll(kinds: ["level", "price", "item"])
        let levels = first.filter { $0["kind"] as? String == "level" }
        XCTAssertFalse(levels.isEmpty)
        XCTAssertTrue(levels.allSatisfy { $0["warehouse"] as? String == "FG" })
        XCTAssertFalse(first.filter { $0["kind"] as? String == "price" }.isEmpty, "InvPrice is polled when asked")
        XCTAssertFalse(first.filter { $0["kind"] as? String == "item" }.isEmpty, "InvMaster is polled for the product push")
        XCTAssertEqual(try poll(kinds: ["level", "price", "item"]).count, 0)
        XCTAssertEqual(try poll(["--full"], kinds: ["level", "price", "item"]).count, first.count, "--full re-reads and prints everything")
    }

    /// Rows stamped with the very rowversion the cursor stopped at (as a datetime change
    /// column would have them) and spread over several OData pages are all read: the window
    /// starts at the cursor inclusive (`ge`, even with no overlap) and pages are ordered by
    /// TimeStamp and then the key.
    func testRowsSharingATimestampAtTheCursorBoundaryAreNotLost() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-page-size", "2"])
        try demo.editConfig { $0["inventory"] = ["warehouses": ["RT"], "rowversion_overlap": 0] }
        let rt = try invWarehouseRows().filter { $0["Warehouse"] as? String == "RT" }.map { $0["StockCode"] as! String }
        XCTAssertGreaterThanOrEqual(rt.count, 5)
        _ = try demo.control("POST", "/_control/syspro/tables/InvWarehouse", [["StockCode": rt[0], "Warehouse": "RT", "QtyOnHand": 50]])
        _ = try poll()   // the cursor now sits at that row's rowversion
        let shared = rt[1...4].map { ["StockCode": $0, "Warehouse": "RT", "QtyOnHand": 60] as [String: Any] }
        let r = try demo.control("POST", "/_control/syspro/tables/InvWarehouse?rowversion=current", shared)
        XCTAssertEqual(r.status, 200, r.text)
        let touched = Set(rt[0...4])
        let stamps = Set(try invWarehouseRows().filter { ($0["Warehouse"] as? String) == "RT" && touched.contains($0["StockCode"] as! String) }
            .map { $0["TimeStamp"] as! String })
        XCTAssertEqual(stamps.count, 1, "five rows, one TimeStamp, equal to the cursor")
        XCTAssertEqual(Set(try poll().map { $0["stock_code"] as! String }), Set(rt[1...4]))
    }

    /// A row that changes while a poll is reading gets a rowversion above the run's
    /// ceiling, so it is not half-read now and is read in full next time.
    func testARowChangedDuringARunIsReadByTheNextRun() throws {
        _ = try poll()
        _ = try demo.control("POST", "/_control/faults", ["service": "odata", "path_contains": "TimeStamp%20le",
                                                         "delay_ms": 1500, "count": 1])
        try adjust("TS-WHT-M", "FG", by: 1)   // a change the poll must print
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Products.path("poll-syspro-inventory"))
        p.environment = ProcessInfo.processInfo.environment.merging(demo.env) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(700_000)   // the poll has its ceiling and waits for its rows
        try adjust("HD-GRY-S", "NY", by: 2)
        let first = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertTrue(first.contains("\"TS-WHT-M\""), first)
        XCTAssertFalse(first.contains("\"HD-GRY-S\""), "changed after the ceiling: not this run")
        XCTAssertEqual(try poll().map { "\($0["stock_code"]!)/\($0["warehouse"]!)" }, ["HD-GRY-S/NY"])
    }
}
