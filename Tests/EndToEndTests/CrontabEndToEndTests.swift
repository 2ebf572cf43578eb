import Foundation
import XCTest
import ConnectorKit

/// The installed crontab, line by line, against a sandbox demo tenant in place of `acme`:
/// every line is a cron entry or a variable, every job runs and ml-cron keeps quiet; a
/// failing job, or a failing first stage of the pipeline, is printed and its status
/// returned; a held lock is silent until it has been held too long.
final class CrontabEndToEndTests: EndToEndCase {
    var installed: Installation!
    var demo: DemoTenant!

    override func setUpWithError() throws {
        try super.setUpWithError()
        installed = try Installation()
        demo = try DemoTenant(webStack: false, bin: installed.bin)
    }

    override func tearDown() {
        demo?.stop()
        installed?.remove()
    }

    struct Crontab {
        var variables: [String: String] = [:]
        var entries: [(schedule: [String], command: String)] = []
    }

    /// A cron time field: *, a number or range, with an optional /step, or a list of them.
    static let timeField = try! NSRegularExpression(pattern: #"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$"#)

    func crontab() throws -> Crontab {
        var tab = Crontab()
        let text = try String(contentsOfFile: installed.share + "/crontab", encoding: .utf8)
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let eq = line.firstIndex(of: "="), line[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                tab.variables[String(line[..<eq])] = String(line[line.index(after: eq)...])
                continue
            }
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).map(String.init)
            XCTAssertEqual(fields.count, 6, "crontab line \(n + 1) is five time fields and a command: \(line)")
            guard fields.count == 6 else { continue }
            for f in fields[..<5] {
                XCTAssertNotNil(Self.timeField.firstMatch(in: f, range: NSRange(f.startIndex..., in: f)),
                                "crontab line \(n + 1): \(f) is not a cron time field")
            }
            tab.entries.append((Array(fields[..<5]), fields[5].trimmingCharacters(in: .whitespaces)))
        }
        return tab
    }

    /// A crontab command as cron runs it: /bin/sh -c, the crontab's variables, the demo
    /// tenant and its state in place of acme and /var/lib/ml-connector.
    func run(_ command: String, _ extra: [String: String] = [:]) throws -> CommandResult {
        let tab = try crontab()
        var env = tab.variables
        env["ML_CONNECTOR_STATE"] = demo.state
        env["ML_CONNECTOR_TENANT"] = ""
        return try runProgram("/bin/sh", ["-c", command.replacingOccurrences(of: "ml-cron acme ", with: "ml-cron demo ")],
                              env: env.merging(extra) { $1 })
    }

    func testEveryCrontabLineRunsItsJobForTheTenantAndSaysNothing() throws {
        let tab = try crontab()
        XCTAssertEqual(tab.variables["PATH"]?.hasPrefix(installed.bin + ":"), true, "PATH finds the installed programs")
        XCTAssertEqual(tab.entries.count, 9, "one line per job for the example tenant")
        for entry in tab.entries {
            XCTAssertTrue(entry.command.hasPrefix("ml-cron acme "), entry.command)
            let r = try run(entry.command)
            XCTAssertEqual(r.status, 0, entry.command + ": " + r.stderr)
            XCTAssertEqual(r.stdout + r.stderr, "", "cron would mail this for `\(entry.command)`")
        }
        // Each job did its pass: the cursors and stores they keep are there.
        for f in ["cursors/poll-syspro-inventory.json", "cursors/po-alerts-twilio.json", "cursors/shipbob-to-syspro-reconcile.json",
                  "inventory/shipbob-products.json", "inventory/variance.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: demo.tenantDir + "/" + f), "\(f) written by the crontab's jobs")
        }
    }

    func testAFailingJobIsPrintedWithTenantJobAndStatus() throws {
        try "{ not json".write(toFile: demo.tenantDir + "/config.json", atomically: true, encoding: .utf8)
        let r = try run("ml-cron acme shipbob-to-syspro")
        XCTAssertEqual(r.status, 78, "the job's own status (configuration error)")
        XCTAssertTrue(r.stderr.contains("config.json"), "the job's message is shown: \(r.stderr)")
        XCTAssertTrue(r.stderr.hasSuffix("ml-cron: tenant demo: shipbob-to-syspro: shipbob-to-syspro exited 78\n"), r.stderr)
    }

    func testAFailedFirstStageOfThePipelineIsReportedThoughShWouldHideIt() throws {
        try demo.editConfig { config in
            var syspro = config["syspro"] as! [String: Any]
            syspro["odata_url"] = "http://127.0.0.1:\(freePort())/SYSPRO8Odata/SYSPROOData"
            config["syspro"] = syspro
            var http = (config["http"] as? [String: Any]) ?? [:]
            http["max_attempts"] = 1
            config["http"] = http
        }
        let plain = try run("poll-syspro-inventory | push-shipbob-inventory --stdin", ["ML_CONNECTOR_TENANT": "demo"])
        XCTAssertEqual(plain.status, 0, "sh reports the last stage only: \(plain.stderr)")
        let r = try run("ml-cron acme poll-syspro-inventory '|' push-shipbob-inventory --stdin")
        XCTAssertEqual(r.status, 69, "SYSPRO unavailable: \(r.stderr)")
        XCTAssertTrue(r.stderr.hasSuffix(
            "ml-cron: tenant demo: poll-syspro-inventory | push-shipbob-inventory --stdin: poll-syspro-inventory exited 69\n"), r.stderr)
    }

    func testAHeldLockIsSilentUntilItHasBeenHeldTooLong() throws {
        let lock = FileLock(path: demo.tenantDir + "/locks/shipbob-to-syspro.lock")
        XCTAssertTrue(try lock.tryLock())
        let busy = try run("ml-cron acme shipbob-to-syspro")
        XCTAssertEqual(busy.status, 0, busy.stderr)
        XCTAssertEqual(busy.stdout + busy.stderr, "", "a run refused by the lock is normal")

        let stuck = try run("ml-cron acme shipbob-to-syspro", ["ML_CONNECTOR_STALL_MINUTES": "0"])
        XCTAssertEqual(stuck.status, 75)
        XCTAssertTrue(stuck.stderr.contains("another run holds"), "the job's own line: \(stuck.stderr)")
        XCTAssertTrue(stuck.stderr.contains("ml-cron: tenant demo: shipbob-to-syspro: exit 75 (try later) on every run for 0 minutes"),
                      stuck.stderr)

        lock.unlock()
        let done = try run("ml-cron acme shipbob-to-syspro", ["ML_CONNECTOR_STALL_MINUTES": "0"])
        XCTAssertEqual(done.status, 0, done.stderr)
        XCTAssertEqual(done.stderr, "")
        XCTAssertEqual(demo.files("locks").filter { $0.hasPrefix("ml-cron.") }, [], "a run that got the lock ends the streak")
    }
}
