import Foundation
import XCTest

/// What `make install` made from this build's products (BIN=, so nothing is rebuilt), in a
/// temporary PREFIX; `uninstall()` runs `make uninstall`.
final class Installation {
    let root: String
    let prefix: String
    var bin: String { prefix + "/bin" }
    var share: String { prefix + "/share/ml-connector" }
    var webhookCGI: String { prefix + "/lib/ml-connector/webhook-cgi" }

    static let programs = ["shipbob-to-syspro", "poll-syspro-inventory", "push-shipbob-inventory", "inventory-variance",
                           "syspro-to-hubspot", "hubspot-to-syspro", "po-alerts-twilio", "ml-connector", "ml-sandbox", "ml-cron"]

    init() throws {
        root = NSTemporaryDirectory() + "mlc-install-" + UUID().uuidString
        prefix = root + "/prefix"
        let r = try Installation.make(["install", "PREFIX=" + prefix, "BIN=" + Products.directory])
        guard r.status == 0 else {
            throw NSError(domain: "Installation", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "make install: \(r.stdout)\(r.stderr)"])
        }
    }

    static func make(_ args: [String]) throws -> CommandResult {
        try runProgram("/usr/bin/env", ["make", "-s", "-C", Products.repoRoot] + args)
    }

    func uninstall() throws -> CommandResult { try Installation.make(["uninstall", "PREFIX=" + prefix]) }

    /// Every regular file under the prefix, relative to it.
    func files() -> [String] {
        let e = FileManager.default.enumerator(atPath: prefix)
        var all: [String] = []
        while let f = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: prefix + "/" + f, isDirectory: &isDir), !isDir.boolValue { all.append(f) }
        }
        return all.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
