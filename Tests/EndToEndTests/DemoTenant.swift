import Foundation
import XCTest

/// A running ml-sandbox plus a tenant wired to it with `ml-sandbox init-tenant`,
/// and (optionally) nginx + fcgiwrap in front of webhook-cgi.
final class DemoTenant {
    let work: String
    let tenant = "demo"
    let sandbox: Daemon
    let sandboxURL: String
    var stack: WebStack?
    var state: String { work + "/state" }
    var tenantDir: String { state + "/tenants/" + tenant }
    var env: [String: String] { ["ML_CONNECTOR_STATE": state, "ML_CONNECTOR_TENANT": tenant] }

    /// `bin`: where ml-sandbox is taken from (an installed tree's bin/ too).
    init(webStack: Bool = true, sandboxArgs: [String] = [], bin: String = Products.directory) throws {
        work = NSTemporaryDirectory() + "mlc-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        sandbox = try Daemon("ml-sandbox", bin + "/ml-sandbox", ["serve", "--port", "0"] + sandboxArgs)
        let line = try sandbox.start(readyLine: "listening on ")!
        sandboxURL = String(line.dropFirst("listening on ".count)).trimmingCharacters(in: .whitespaces)
        let r = try runProgram(bin + "/ml-sandbox", ["init-tenant", "--sandbox", sandboxURL], env: env)
        guard r.status == 0 else { throw NSError(domain: "DemoTenant", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        if webStack { stack = try WebStack(state: state, workdir: work + "/web") }
    }

    func stop() {
        stack?.stop()
        sandbox.stop()
        try? FileManager.default.removeItem(atPath: work)
    }

    var webhookSecret: String {
        get throws {
            let creds = try HTTP.json(sandboxURL + "/_control/credentials") as! [String: Any]
            return creds["webhook_secret"] as! String
        }
    }

    /// Sends one signed webhook through nginx exactly as ShipBob does (`ml-sandbox emit`).
    @discardableResult
    func emit(_ topic: String, orderID: Int64, webhookID: String? = nil) throws -> CommandResult {
        var args = ["emit", "shipbob", topic, "--to", stack!.url(tenant: tenant), "--secret", try webhookSecret,
                    "--order-id", String(orderID), "--sandbox", sandboxURL]
        if let webhookID { args += ["--webhook-id", webhookID] }
        return try runProgram("ml-sandbox", args)
    }

    func job(_ name: String, _ args: [String] = []) throws -> CommandResult { try runProgram(name, args, env: env) }

    /// Sales orders SYSPRO holds, keyed by CustomerPoNumber, each with its lines.
    func salesOrders() throws -> [[String: Any]] {
        try HTTP.json(sandboxURL + "/_control/syspro/sales-orders") as! [[String: Any]]
    }

    func control(_ method: String, _ path: String, _ body: Any? = nil) throws -> HTTP.Response {
        try HTTP.request(method, sandboxURL + path, headers: ["content-type": "application/json"],
                         body: try body.map { try JSONSerialization.data(withJSONObject: $0) })
    }

    func files(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tenantDir + "/" + sub)) ?? []).sorted()
    }

    /// Stores a secret as an operator does: `ml-connector secret set NAME`, the value on stdin.
    func setSecret(_ name: String, _ value: String) throws {
        let r = try runProgram("ml-connector", ["secret", "set", name], env: env, stdin: value + "\n")
        guard r.status == 0 else { throw NSError(domain: "DemoTenant", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
    }

    /// What a person does by editing `secrets.json` (there is no command to forget a secret).
    func removeSecret(_ name: String) throws {
        let path = tenantDir + "/secrets.json"
        var all = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        all[name] = nil
        try JSONSerialization.data(withJSONObject: all).write(to: URL(fileURLWithPath: path))
    }

    /// Every file under `directory` (default: the tenant's), as text, for "no plain text"
    /// checks; `except` names files to leave out (the master key is random bytes).
    func stateText(_ directory: String? = nil, except: Set<String> = []) throws -> String {
        let root = directory ?? tenantDir
        var all = ""
        let e = FileManager.default.enumerator(atPath: root)!
        while let f = e.nextObject() as? String {
            let path = root + "/" + f
            var dir: ObjCBool = false
            if !except.contains(f), FileManager.default.fileExists(atPath: path, isDirectory: &dir), !dir.boolValue {
                all += String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) + "\n"
            }
        }
        return all
    }

    /// Every audit line of the tenant, oldest first.
    func auditLines() -> [[String: Any]] {
        files("audit").flatMap { f -> [[String: Any]] in
            let text = (try? String(contentsOfFile: tenantDir + "/audit/" + f, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    func editConfig(_ change: (inout [String: Any]) -> Void) throws {
        let path = tenantDir + "/config.json"
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&config)
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
    }
}
