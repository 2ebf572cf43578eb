import Foundation
import XCTest

/// `make install` puts every program where README.md, "Install" says, and the demo runs from the
/// installed tree alone: the installed sandbox, `ml-sandbox init-tenant`, a signed webhook through
/// nginx + fcgiwrap into the installed webhook-cgi (named by the installed nginx snippet),
/// the installed jobs. `make uninstall` takes it all away again.
final class InstallEndToEndTests: EndToEndCase {
    func testMakeInstallPutsEveryProgramInPlaceAndTheDemoRunsFromTheInstalledTree() throws {
        let installed = try Installation()
        defer { installed.remove() }
        let fm = FileManager.default
        for p in Installation.programs {
            XCTAssertTrue(fm.isExecutableFile(atPath: installed.bin + "/" + p), "\(p) in PREFIX/bin")
        }
        XCTAssertTrue(fm.isExecutableFile(atPath: installed.webhookCGI), "webhook-cgi in PREFIX/lib/ml-connector")
        XCTAssertFalse(fm.fileExists(atPath: installed.bin + "/webhook-cgi"), "webhook-cgi is run by fcgiwrap, not a command")
        for f in ["crontab", "nginx-webhooks.conf", "systemd/ml-po-alerts-twilio@.timer", "systemd/fcgiwrap-ml-connector.socket",
                  "kubernetes/ml-connector-acme.yaml", "nomad/ml-connector-job.nomad.hcl"] {
            XCTAssertTrue(fm.fileExists(atPath: installed.share + "/" + f), "PREFIX/share/ml-connector/\(f)")
        }
        let snippet = installed.share + "/nginx-webhooks.conf"
        XCTAssertTrue(try String(contentsOfFile: snippet, encoding: .utf8).contains("SCRIPT_FILENAME \(installed.webhookCGI);"),
                      "the installed nginx snippet names the installed webhook-cgi")
        XCTAssertTrue(try String(contentsOfFile: installed.share + "/crontab", encoding: .utf8).contains("PATH=\(installed.bin):"),
                      "the installed crontab finds the installed programs")

        let demo = try DemoTenant(webStack: false, bin: installed.bin)
        defer { demo.stop() }
        let stack = try WebStack(state: demo.state, workdir: demo.work + "/web", snippet: snippet)
        defer { stack.stop() }
        let env = demo.env.merging(["PATH": installed.bin + ":/usr/bin:/bin"]) { $1 }
        let emitted = try runProgram(installed.bin + "/ml-sandbox", [
            "emit", "shipbob", "order.shipped", "--to", stack.url(tenant: demo.tenant), "--secret", try demo.webhookSecret,
            "--order-id", "15949208", "--sandbox", demo.sandboxURL], env: env)
        XCTAssertEqual(emitted.status, 0, emitted.stdout + emitted.stderr)
        XCTAssertEqual(demo.files("spool/shipbob/new").count, 1, "the installed webhook-cgi spooled the webhook")

        for (program, args) in [("ml-connector", ["config", "check"]), ("shipbob-to-syspro", []),
                                ("poll-syspro-inventory", []), ("push-shipbob-inventory", []),
                                ("inventory-variance", ["--format", "none"]), ("syspro-to-hubspot", []), ("po-alerts-twilio", [])] {
            let r = try runProgram(installed.bin + "/" + program, args, env: env)
            XCTAssertEqual(r.status, 0, "installed \(program): \(r.stderr)")
        }
        let pos = try demo.salesOrders().compactMap { ($0["CustomerPoNumber"] as? String)?.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(pos.contains("SB15949208"), "the webhook became a SYSPRO sales order")

        let removed = try installed.uninstall()
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(installed.files(), [], "make uninstall removes everything make install put there")
    }

    func testDestdirStagesTheTreeButThePathsInItNameThePrefix() throws {
        let root = NSTemporaryDirectory() + "mlc-destdir-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stage = root + "/stage"
        let r = try Installation.make(["install", "DESTDIR=" + stage, "PREFIX=/opt/mlc", "BIN=" + Products.directory])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: stage + "/opt/mlc/bin/shipbob-to-syspro"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: stage + "/opt/mlc/lib/ml-connector/webhook-cgi"))
        let unit = try String(contentsOfFile: stage + "/opt/mlc/share/ml-connector/systemd/ml-po-alerts-twilio@.service", encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecStart=/opt/mlc/bin/po-alerts-twilio\n"), unit)
        XCTAssertFalse(unit.contains(stage), "DESTDIR is where files are staged, not where they will run")
        let u = try Installation.make(["uninstall", "DESTDIR=" + stage, "PREFIX=/opt/mlc"])
        XCTAssertEqual(u.status, 0, u.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stage + "/opt/mlc/bin/shipbob-to-syspro"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stage + "/opt/mlc/share/ml-connector"))
    }

    func testInstallWithoutABuildSaysWhatIsMissingAndInstallsNothing() throws {
        let root = NSTemporaryDirectory() + "mlc-nobuild-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try Installation.make(["install", "PREFIX=" + root, "BIN=" + root + "/no-build"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(root + "/no-build/shipbob-to-syspro is missing"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/bin"))
    }
}
