import Foundation
import XCTest

/// The systemd, Kubernetes and Nomad examples under contrib/ run what the crontab runs, when
/// it runs it (scripts/check-contrib), and the systemd units pass `systemd-analyze verify`.
final class ContribTests: EndToEndCase {
    func checkContrib(_ root: String? = nil) throws -> CommandResult {
        try runProgram("/usr/bin/python3", [Products.repoRoot + "/scripts/check-contrib"] + (root.map { [$0] } ?? []))
    }

    func testSystemdKubernetesAndNomadRunTheCrontabsJobsAtItsTimes() throws {
        let r = try checkContrib()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("9 crontab lines"), r.stdout)
    }

    func testATimerThatDriftsFromTheCrontabIsNamed() throws {
        let copy = NSTemporaryDirectory() + "mlc-contrib-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for item in ["crontab", "etc", "contrib"] { try fm.copyItem(atPath: Products.repoRoot + "/" + item, toPath: copy + "/" + item) }
        let timer = copy + "/contrib/systemd/ml-po-alerts-twilio@.timer"
        let text = try String(contentsOfFile: timer, encoding: .utf8)
        try text.replacingOccurrences(of: "OnCalendar=*-*-* *:00/5:00", with: "OnCalendar=*-*-* *:00/15:00")
            .write(toFile: timer, atomically: true, encoding: .utf8)
        let r = try checkContrib(copy)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("contrib/systemd: runs `po-alerts-twilio` at other times than the crontab"), r.stdout)
    }

    func testInstalledSystemdUnitsPassSystemdAnalyzeVerify() throws {
        guard let analyze = WebStack.locate(["systemd-analyze"]) else {
            return XCTFail("systemd-analyze is missing: scripts/install-deps installs the systemd package")
        }
        // Installed, so that every ExecStart names a program that exists.
        let installed = try Installation()
        defer { installed.remove() }
        let dir = installed.share + "/systemd"
        let units = try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { name -> String in
            // A template is verified through an instance, the way systemd loads it.
            dir + "/" + name.replacingOccurrences(of: "@.", with: "@acme.")
        }
        XCTAssertEqual(units.count, 20, "a service and a timer per crontab line, and fcgiwrap's socket and service")
        let r = try runProgram(analyze, ["verify", "--man=no"] + units)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout + r.stderr, "", "systemd-analyze warns about nothing")
    }
}
