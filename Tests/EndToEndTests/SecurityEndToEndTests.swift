import Foundation
import XCTest

/// SECURITY.md's promises after a whole demo run (webhooks through nginx, every job, SMS
/// with delivery callbacks, status, audit): no credential, phone number, email or person's
/// name in clear text anywhere in the state directory or in what the programs printed, and
/// the key and credential files private.
final class SecurityEndToEndTests: EndToEndCase {
    func testAFullRunLeavesNoSecretOrPersonalDataInClearTextAndTheKeysPrivate() throws {
        let demo = try DemoTenant(webStack: true, sandboxArgs: ["--twilio-status-step", "0.1"])
        defer { demo.stop() }
        try demo.editConfig { c in
            var t = c["twilio"] as! [String: Any]
            t["status_callback_url"] = demo.stack!.url(tenant: demo.tenant, source: "twilio")
            c["twilio"] = t
        }
        var printed = ""
        func run(_ program: String, _ args: [String] = []) throws {
            let r = try runProgram(program, args, env: demo.env)
            printed += r.stdout + r.stderr
            XCTAssertTrue([0, 1].contains(r.status), "\(program) \(args) exited \(r.status): \(r.stderr)")
        }
        try run("po-alerts-twilio")
        for (topic, order) in [("order.shipped", 15949208), ("order.shipped", 15948959), ("order.shipment.delivered", 15949214)] {
            printed += try demo.emit(topic, orderID: Int64(order)).stdout
        }
        try run("shipbob-to-syspro")
        try run("shipbob-to-syspro", ["--reconcile"])
        try run("shipbob-to-syspro")
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        try run("inventory-variance", ["--format", "none"])
        try run("syspro-to-hubspot")
        _ = try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"])
        try run("po-alerts-twilio")
        usleep(1_500_000)  // the delivery callbacks come back through nginx
        try run("po-alerts-twilio")
        try run("ml-connector", ["status"])
        try run("ml-connector", ["audit", "--since", "1h"])
        try run("ml-connector", ["attention"])

        // What must never be readable: every credential the sandbox handed out...
        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        var secrets: [String] = [creds["webhook_secret"] as! String]
        for (section, keys) in [("syspro", ["operator_password", "company_password", "odata_password"]),
                                ("shipbob", ["pat", "client_secret", "refresh_token"]), ("hubspot", ["token"]),
                                ("twilio", ["auth_token", "api_key_secret"])] {
            for k in keys { if let v = (creds[section] as? [String: Any])?[k] as? String, v.count >= 6 { secrets.append(v) } }
        }
        // ...and personal data: the SMS recipients, SYSPRO customers' emails and phones, and
        // the ShipBob order recipients whose webhooks were spooled.
        var personal = ["+15555550101", "+15555550102", "+15555550103"]
        for c in try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/ArCustomer") as! [[String: Any]] {
            for k in ["Email", "Telephone"] { if let v = (c[k] as? String)?.trimmingCharacters(in: .whitespaces), v.count >= 6 { personal.append(v) } }
        }
        for id in [15949208, 15948959, 15949214] {
            let order = try HTTP.json(demo.sandboxURL + "/_control/shipbob/orders/\(id)") as! [String: Any]
            let r = order["recipient"] as! [String: Any]
            personal += [r["name"] as! String, r["email"] as! String, r["phone_number"] as! String]
        }
        XCTAssertGreaterThan(secrets.count, 8)

        let state = try demo.stateText(demo.state, except: ["master.key"]) + printed
        for s in secrets { XCTAssertFalse(state.contains(s), "a credential (\(s.prefix(4))…) in clear text") }
        for p in Set(personal) { XCTAssertFalse(state.contains(p), "\(p) in clear text") }
        XCTAssertFalse(demo.auditLines().isEmpty, "the run was audited")
        // Base64 is not encryption: every spooled webhook and callback keeps its body sealed.
        var spooled = 0
        for source in ["shipbob", "twilio"] {
            for box in ["new", "cur", "done", "failed"] {
                let dir = demo.tenantDir + "/spool/\(source)/\(box)"
                for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where !f.hasPrefix(".") {
                    let j = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))) as! [String: Any]
                    XCTAssertNil(j["body"], "spool/\(source)/\(box)/\(f) keeps its body unsealed")
                    XCTAssertNotNil(j["sealed_body"] as? String)
                    spooled += 1
                }
            }
        }
        XCTAssertGreaterThan(spooled, 3, "webhooks and callbacks were spooled")

        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
        }
        XCTAssertEqual(try mode(demo.state + "/master.key"), 0o600)
        XCTAssertEqual(try mode(demo.tenantDir + "/secrets.json"), 0o600)
        XCTAssertEqual(try mode(demo.tenantDir + "/tokens"), 0o700)
        XCTAssertEqual(try mode(demo.state), 0o750, "no one else may enter the state directory")
        for f in try FileManager.default.contentsOfDirectory(atPath: demo.tenantDir + "/tokens") {
            XCTAssertEqual(try mode(demo.tenantDir + "/tokens/" + f) & 0o077, 0, "tokens/\(f) readable by others")
        }
    }
}
