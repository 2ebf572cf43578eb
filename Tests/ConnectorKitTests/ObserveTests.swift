import ConnectorKit
import Foundation
import GoLive
import XCTest
import ConnectorConfig

/// The pieces behind the metrics files and `ml-connector status`: the run record's memory
/// between runs, the exposition format's escaping, and the health verdicts.
final class ObserveTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func record(exit: Int32, at finished: Date, moved: [(String, Int)] = [], previous: RunRecord? = nil) -> RunRecord {
        let metrics = JobMetrics()
        for (kind, n) in moved { metrics.moved(kind, "a->b", n) }
        return RunRecord(tenant: "acme", job: "poll-syspro-inventory", started: finished.addingTimeInterval(-2), finished: finished,
                         exitStatus: exit, error: exit == 0 ? nil : "broken", metrics: metrics, previous: previous)
    }

    func testAFailedRunKeepsTheLastSuccessAndAddsToTheTotals() {
        let ok = record(exit: 0, at: t0, moved: [("levels", 3)])
        let failed = record(exit: 69, at: t0.addingTimeInterval(60), moved: [("levels", 2), ("items", 1)], previous: ok)
        XCTAssertEqual(failed.lastSuccess, t0)
        XCTAssertEqual(failed.firstRun, ok.started)
        XCTAssertEqual(failed.moved.map { "\($0.kind)=\($0.count)" }, ["items=1", "levels=2"])
        XCTAssertEqual(failed.movedTotal.map { "\($0.kind)=\($0.count)" }, ["items=1", "levels=5"])
        let next = record(exit: 0, at: t0.addingTimeInterval(120), previous: failed)
        XCTAssertEqual(next.lastSuccess, t0.addingTimeInterval(120))
        XCTAssertEqual(next.movedTotal.map(\.count), [1, 5])
    }

    func testLabelValuesAndHelpAreEscapedAsTheExpositionFormatRequires() {
        var p = PrometheusText()
        p.family("x", .gauge, help: "a \\ b\nc \"q\"", [(labels: [("l", "back\\slash \"quoted\"\nnewline")], value: 1.5)])
        XCTAssertEqual(p.text, """
        # HELP x a \\\\ b\\nc "q"
        # TYPE x gauge
        x{l="back\\\\slash \\"quoted\\"\\nnewline"} 1.5

        """)
    }

    func testTimestampsAndCountsAreWrittenAsWholeNumbers() {
        let run = record(exit: 0, at: t0)
        let text = MetricsFile.render(run, spec: JobCatalog.spec("poll-syspro-inventory"), depths: [])
        XCTAssertTrue(text.contains("ml_connector_last_run_timestamp_seconds{tenant=\"acme\",job=\"poll-syspro-inventory\"} 1700000000\n"), text)
        XCTAssertTrue(text.contains("ml_connector_records_total{tenant=\"acme\",job=\"poll-syspro-inventory\",kind=\"items\",direction=\"syspro->state\"} 0\n"),
                      "the catalogue's flows start at zero: \(text)")
    }

    func verdict(_ run: RunRecord?, held: Bool = false, parked: Int = 0, now: Date) -> Verdict {
        JobHealth.verdict(run: run, held: held, parked: parked, intervalMinutes: 5, staleAfter: 3, now: now)
    }

    func testAJobFailsOnErrorsOtherThanTryLaterAndGoesStaleWithoutASuccessWithinThreeIntervals() {
        let ok = record(exit: 0, at: t0)
        XCTAssertEqual(verdict(nil, now: t0), .neverRun)
        XCTAssertEqual(verdict(ok, now: t0.addingTimeInterval(14 * 60)), .ok)
        XCTAssertEqual(verdict(ok, now: t0.addingTimeInterval(16 * 60)), .stale, "no success within 3 x 5 minutes")
        XCTAssertEqual(verdict(ok, parked: 1, now: t0), .attention)
        XCTAssertEqual(verdict(record(exit: 78, at: t0, previous: ok), held: true, now: t0), .held, "a held job is not alarming")
        XCTAssertEqual(verdict(record(exit: 78, at: t0, previous: ok), parked: 1, now: t0), .failing)
        let deferred = record(exit: 75, at: t0.addingTimeInterval(60), previous: ok)
        XCTAssertEqual(verdict(deferred, now: t0.addingTimeInterval(60)), .deferred)
        XCTAssertEqual(verdict(deferred, now: t0.addingTimeInterval(20 * 60)), .stale, "try later, for too long")
        let neverSucceeded = record(exit: 75, at: t0)
        XCTAssertEqual(verdict(neverSucceeded, now: t0.addingTimeInterval(60)), .deferred)
        XCTAssertEqual(verdict(neverSucceeded, now: t0.addingTimeInterval(20 * 60)), .stale, "counted from its first run")
    }

    func testTheWorstVerdictDecidesAndItsSeverityIsTheExitCode() {
        XCTAssertEqual([Verdict.ok, .neverRun, .held, .attention].reduce(.ok, Verdict.worst), .attention)
        XCTAssertEqual([Verdict.ok, .stale, .held].reduce(.ok, Verdict.worst), .stale)
        XCTAssertEqual([Verdict.neverRun, .ok].reduce(.ok, Verdict.worst).severity, 0)
        XCTAssertEqual(Verdict.deferred.severity, 1)
        XCTAssertEqual(Verdict.failing.severity, 2)
    }

    func testAMonitorIntervalMustNameAJob() throws {
        let dir = TempDir()
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.example))) as! [String: Any]
        config["monitor"] = ["interval_minutes": ["poll-syspro-inventroy": 10]]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir.file("config.json")))
        XCTAssertThrowsError(try TenantConfig.load(dir.file("config.json"))) { error in
            XCTAssertTrue("\(error)".contains("monitor.interval_minutes.poll-syspro-inventroy is not a job"), "\(error)")
        }
    }

    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/state/example/config.json"
}
