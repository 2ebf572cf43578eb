import Foundation
import XCTest

/// `ML_CONNECTOR_RECORD=DIR`: every vendor exchange of a job lands in DIR redacted, and
/// `ml-sandbox serve --fixtures DIR` answers with it, so what a customer's systems said becomes a test.
final class RecordingEndToEndTests: EndToEndCase {
    var demo: DemoTenant!
    var recording: String { demo.work + "/recording" }

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func recorded(_ name: String, _ args: [String] = []) throws -> CommandResult {
        try runProgram(name, args, env: demo.env.merging(["ML_CONNECTOR_RECORD": recording]) { $1 })
    }

    func exchanges(in dir: String) throws -> [(name: String, json: [String: Any])] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map {
            ($0, try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0))) as! [String: Any])
        }
    }

    func testEveryVendorExchangeIsRecordedWithoutCredentialsOrPersonalData() throws {
        XCTAssertEqual(try recorded("ml-connector", ["ping"]).status, 0)
        XCTAssertEqual(try recorded("syspro-to-hubspot").status, 0)
        let files = try exchanges(in: recording)
        let urls = files.map { $0.json["url"] as? String ?? "" }
        for api in ["/SYSPROWCFService/Rest/", "/syspro/odata/", "/shipbob/", "/hubspot/", "/twilio/"] {
            XCTAssertTrue(urls.contains { $0.contains(api) }, "no exchange with \(api) recorded")
        }
        XCTAssertTrue(files.allSatisfy { $0.json["status"] is Int && $0.json["request_id"] is String })

        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let syspro = creds["syspro"] as! [String: Any], shipbob = creds["shipbob"] as! [String: Any]
        let hubspot = creds["hubspot"] as! [String: Any], twilio = creds["twilio"] as! [String: Any]
        var secrets = [syspro["operator_password"], syspro["company_password"], syspro["odata_password"],
                       shipbob["pat"], shipbob["client_secret"], hubspot["token"], twilio["auth_token"],
                       twilio["api_key_secret"], creds["webhook_secret"]].compactMap { $0 as? String }.filter { !$0.isEmpty }
        let customers = try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/ArCustomer") as! [[String: Any]]
        let personal = customers.flatMap { [$0["Email"], $0["Telephone"], $0["Contact"]] }.compactMap { $0 as? String }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 3 }
        XCTAssertFalse(personal.isEmpty, "the demo customers have emails and contacts to look for")
        secrets += personal
        for (name, _) in files {
            let raw = try String(contentsOfFile: recording + "/" + name, encoding: .utf8)
            for s in secrets {
                XCTAssertFalse(raw.contains(s) || raw.contains(s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
                               "\(name) keeps \(s)")
            }
        }
        let mode = try FileManager.default.attributesOfItem(atPath: recording)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o077, 0, "the recording directory is private to its owner")
    }

    func testARecordedAnswerEditedByHandIsWhatTheSandboxServesBack() throws {
        XCTAssertEqual(try recorded("poll-syspro-inventory").status, 0)
        // The field problem: SYSPRO answered a level nobody expected. Edit it into the recording.
        let levels = try exchanges(in: recording).first {
            ($0.json["url"] as! String).contains("/InvWarehouse") && ($0.json["response_body"] as? String ?? "").contains("QtyOnHand")
        }
        let file = try XCTUnwrap(levels, "the poll read InvWarehouse's levels")
        var answer = try JSONSerialization.jsonObject(with: Data((file.json["response_body"] as! String).utf8)) as! [String: Any]
        var rows = answer["value"] as! [[String: Any]]
        let stockCode = rows[0]["StockCode"] as! String, warehouse = rows[0]["Warehouse"] as! String
        rows[0]["QtyOnHand"] = 4242
        answer["value"] = rows
        var edited = file.json
        edited["response_body"] = String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self)
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: recording + "/" + file.name))

        let replay = try DemoTenant(webStack: false, sandboxArgs: ["--fixtures", recording])
        defer { replay.stop() }
        let r = try replay.job("poll-syspro-inventory")
        XCTAssertEqual(r.status, 0, r.stderr)
        let printed = r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let level = printed.first { $0["kind"] as? String == "level" && $0["stock_code"] as? String == stockCode && $0["warehouse"] as? String == warehouse }
        XCTAssertEqual((level?["qty_on_hand"] as? NSNumber)?.doubleValue, 4242, "the recorded answer was served, not the simulator's")
        let log = try HTTP.json(replay.sandboxURL + "/_control/requests") as! [[String: Any]]
        XCTAssertTrue(log.contains { $0["fixture"] as? Bool == true && ($0["path"] as? String ?? "").hasSuffix("/InvWarehouse") })
    }

    func testSandboxRefusesARecordingItCannotRead() throws {
        try FileManager.default.createDirectory(atPath: recording, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: recording + "/000000000000001-000001-x.json"))
        let r = try runProgram("ml-sandbox", ["serve", "--port", "0", "--fixtures", recording])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("000000000000001-000001-x.json"), r.stderr)
    }
}
