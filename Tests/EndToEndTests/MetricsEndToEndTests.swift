import ConnectorKit
import Foundation
import XCTest

/// Every job's textfile-collector file, after real runs against the sandbox: valid for
/// Prometheus, one per tenant and job, and telling the truth about failed runs.
final class MetricsEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    func metricsPath(_ job: String) -> String { demo.state + "/metrics/demo.\(job).prom" }
    func metrics(_ job: String) throws -> Exposition { try Exposition(path: metricsPath(job)) }
    func labels(_ job: String, _ more: [String: String] = [:]) -> [String: String] {
        ["tenant": "demo", "job": job].merging(more) { $1 }
    }

    @discardableResult
    func run(_ job: String, _ args: [String] = [], expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job(job, args)
        XCTAssertEqual(r.status, status, "\(job): \(r.stderr)")
        return r
    }

    func testEveryJobWritesAValidMetricsFileForItsTenantWithWhatItMoved() throws {
        demo = try DemoTenant()
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949208, webhookID: "msg_metrics").status, 0)
        try run("shipbob-to-syspro")
        try run("shipbob-to-syspro", ["--reconcile"])
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        try run("inventory-variance", ["--format", "none"])
        try run("syspro-to-hubspot")
        try run("hubspot-to-syspro")
        try run("po-alerts-twilio")

        let jobs = ["shipbob-to-syspro", "shipbob-to-syspro-reconcile", "poll-syspro-inventory", "push-shipbob-inventory",
                    "inventory-variance", "syspro-to-hubspot", "hubspot-to-syspro", "po-alerts-twilio"]
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: demo.state + "/metrics")), Set(jobs.map { "demo.\($0).prom" }),
                       "one file per job of the tenant, nothing else")
        for job in jobs {
            let m = try metrics(job)
            for s in m.samples { XCTAssertEqual(s.labels["tenant"], "demo"); XCTAssertEqual(s.labels["job"], job, s.name) }
            XCTAssertEqual(m.value("ml_connector_exit_status"), 0, job)
            let ran = try XCTUnwrap(m.value("ml_connector_last_run_timestamp_seconds"), job)
            XCTAssertEqual(m.value("ml_connector_last_success_timestamp_seconds"), ran, job)
            XCTAssertEqual(ran, Date().timeIntervalSince1970, accuracy: 120, job)
            XCTAssertNotNil(m.value("ml_connector_run_duration_seconds"), job)
            XCTAssertEqual(m.families["ml_connector_records"], "counter", job)
            XCTAssertEqual(m.families["ml_connector_http_429"], "counter", job)
            XCTAssertEqual(m.families["ml_connector_last_run_timestamp_seconds"], "gauge", job)
        }
        // Status knows the jobs by the same names: none of them is left without a run.
        let report = try runProgram("ml-connector", ["status", "--json"], env: ["ML_CONNECTOR_STATE": demo.state])
        let listed = ((try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any])["tenants"] as! [[String: Any]])[0]["jobs"] as! [[String: Any]]
        XCTAssertEqual(listed.map { $0["job"] as? String }, jobs)
        XCTAssertFalse(listed.contains { $0["verdict"] as? String == "NEVER RUN" }, "\(listed)")

        let orders = labels("shipbob-to-syspro", ["kind": "orders", "direction": "shipbob->syspro"])
        XCTAssertEqual(try metrics("shipbob-to-syspro").value("ml_connector_last_run_records", orders), 1, "the one webhook's order was posted")
        XCTAssertEqual(try metrics("shipbob-to-syspro").value("ml_connector_queue_depth", labels("shipbob-to-syspro", ["queue": "spool/shipbob", "state": "new"])), 0)
        XCTAssertEqual(try metrics("shipbob-to-syspro").value("ml_connector_http_429_total", labels("shipbob-to-syspro", ["api": "shipbob"])), 0,
                       "a counter is there from the first run, at zero")
        let hubspot = try metrics("syspro-to-hubspot")
        for kind in ["companies", "contacts", "invoices", "line_items"] {
            XCTAssertGreaterThan(hubspot.value("ml_connector_records_total", labels("syspro-to-hubspot", ["kind": kind, "direction": "syspro->hubspot"])) ?? 0, 0, kind)
        }
        XCTAssertGreaterThan(try metrics("poll-syspro-inventory").value(
            "ml_connector_records_total", labels("poll-syspro-inventory", ["kind": "stock_levels", "direction": "syspro->state"])) ?? 0, 0)
        XCTAssertGreaterThan(try metrics("inventory-variance").value(
            "ml_connector_queue_depth", labels("inventory-variance", ["queue": "attention/inventory", "state": "open"])) ?? 0, 0,
            "the sandbox's levels differ, so the variance job raised attention items")
    }

    func testAFailedRunRecordsItsExitStatusAndKeepsTheLastSuccessAndTheCounters() throws {
        demo = try DemoTenant(webStack: false)
        try run("poll-syspro-inventory")
        let first = try metrics("poll-syspro-inventory")
        let success = try XCTUnwrap(first.value("ml_connector_last_success_timestamp_seconds"))
        let levels = labels("poll-syspro-inventory", ["kind": "stock_levels", "direction": "syspro->state"])
        let moved = try XCTUnwrap(first.value("ml_connector_records_total", levels))
        Thread.sleep(forTimeInterval: 1.1)

        // Under the lock: the OData password is gone.
        try demo.removeSecret("syspro_odata_password")
        try run("poll-syspro-inventory", expect: 78)
        var m = try metrics("poll-syspro-inventory")
        XCTAssertEqual(m.value("ml_connector_exit_status"), 78)
        XCTAssertEqual(m.value("ml_connector_last_success_timestamp_seconds"), success, "a failed run keeps the last success")
        XCTAssertGreaterThan(m.value("ml_connector_last_run_timestamp_seconds") ?? 0, success)
        XCTAssertEqual(m.value("ml_connector_records_total", levels), moved, "counters survive a failed run")
        XCTAssertEqual(m.value("ml_connector_last_run_records", levels), 0)

        // Before the lock: config.json no longer validates.
        try demo.editConfig { config in
            var syspro = config["syspro"] as! [String: Any]
            syspro["odata_url"] = "not a url"
            config["syspro"] = syspro
        }
        let broken = try run("poll-syspro-inventory", expect: 78)
        XCTAssertTrue(broken.stderr.contains("syspro.odata_url"), broken.stderr)
        m = try metrics("poll-syspro-inventory")
        XCTAssertEqual(m.value("ml_connector_exit_status"), 78)
        XCTAssertEqual(m.value("ml_connector_last_success_timestamp_seconds"), success)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            demo.tenantDir + "/state/poll-syspro-inventory/last-run.json"))) as! [String: Any]
        XCTAssertTrue((record["error"] as? String ?? "").contains("syspro.odata_url"), "\(record)")
    }

    func testARunThatFindsTheLockHeldLeavesTheLastRunsFiguresAlone() throws {
        demo = try DemoTenant(webStack: false)
        try run("poll-syspro-inventory")
        let before = try Data(contentsOf: URL(fileURLWithPath: metricsPath("poll-syspro-inventory")))
        let lock = FileLock(path: demo.tenantDir + "/locks/poll-syspro-inventory.lock")
        XCTAssertTrue(try lock.tryLock())
        defer { lock.unlock() }
        Thread.sleep(forTimeInterval: 1.1)
        try run("poll-syspro-inventory", expect: 75)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: metricsPath("poll-syspro-inventory"))), before,
                       "the run holding the lock owns the figures")
    }

    func testEveryRateLimitedAnswerIsCountedUnderItsAPI() throws {
        demo = try DemoTenant(webStack: false)
        _ = try demo.control("POST", "/_control/faults", ["service": "shipbob", "status": 429, "count": 2, "retry_after": 0])
        try run("shipbob-to-syspro", ["--reconcile"])
        var m = try metrics("shipbob-to-syspro-reconcile")
        let shipbob = labels("shipbob-to-syspro-reconcile", ["api": "shipbob"])
        XCTAssertEqual(m.value("ml_connector_last_run_http_429", shipbob), 2, "both 429s, though the retries succeeded")
        XCTAssertEqual(m.value("ml_connector_http_429_total", shipbob), 2)

        try run("shipbob-to-syspro", ["--reconcile"])
        m = try metrics("shipbob-to-syspro-reconcile")
        XCTAssertEqual(m.value("ml_connector_last_run_http_429", shipbob), 0)
        XCTAssertEqual(m.value("ml_connector_http_429_total", shipbob), 2, "the total is a counter across runs")
    }
}
