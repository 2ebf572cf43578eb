import Foundation
import XCTest
import ConnectorKit
import Secrets

/// `ml-connector rotate-key` over a tenant holding every kind of sealed data (secrets, SYSPRO
/// session and ShipBob OAuth tokens, personal data in the audit, SMS bodies in the outbox,
/// Twilio callbacks in the spool): killed at any moment it resumes, the programs keep working
/// in between, and afterwards everything opens with the new key and nothing with an old one.
final class KeyRotationEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    var keyPath: String { demo.state + "/master.key" }

    @discardableResult
    func run(_ name: String, _ args: [String] = [], env: [String: String] = [:], expect status: Int32 = 0,
             file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let r = try runProgram(name, args, env: demo.env.merging(env) { $1 })
        XCTAssertEqual(r.status, status, "\(name) \(args.joined(separator: " ")): \(r.stdout) \(r.stderr)", file: file, line: line)
        return r
    }

    /// A purchase order is printed (OrderStatus 1 -> 4): the demo's po-printed rule texts procurement.
    func approve(_ po: String) throws {
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": po, "order_status": "4"]).status, 200)
    }

    func waitForCallbacks(atLeast n: Int, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(20)
        while demo.files("spool/twilio/new").count < n, Date() < deadline { usleep(50_000) }
        XCTAssertGreaterThanOrEqual(demo.files("spool/twilio/new").count, n, "Twilio's callbacks reached webhook-cgi", file: file, line: line)
    }

    /// Every sealed value in the tenant, found the way each writer stores it, by kind.
    func sealedValues() throws -> [String: [(sealed: String, context: String)]] {
        let dir = demo.tenantDir
        func json(_ path: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        }
        var out: [String: [(String, String)]] = [:]
        out["secrets"] = try json(dir + "/secrets.json").map { ($0.value as! String, $0.key) }
        out["tokens"] = try demo.files("tokens").filter { !$0.hasPrefix(".") }.map {
            (try String(contentsOfFile: dir + "/tokens/" + $0, encoding: .utf8), $0)
        }
        out["audit"] = demo.auditLines().compactMap { $0["personal"] as? String }.map { ($0, SealContext.auditPersonal) }
        for (kind, queue, context) in [("outbox", "outbox/twilio", SealContext.twilioOutbox), ("spool", "spool/twilio", SealContext.twilioCallbacks)] {
            out[kind] = try ["new", "cur", "done", "failed"].flatMap { state in
                try demo.files(queue + "/" + state).filter { !$0.hasPrefix(".") }.map {
                    (try json(dir + "/\(queue)/\(state)/\($0)")["sealed_body"] as! String, context)
                }
            }
        }
        return out
    }

    /// A tenant with sealed data of every kind, some work still queued.
    func fillState() throws {
        demo = try DemoTenant(webStack: true, sandboxArgs: ["--twilio-status-step", "0.1"])
        let callback = demo.stack!.url(tenant: demo.tenant, source: "twilio")
        try demo.editConfig { c in
            var twilio = c["twilio"] as! [String: Any]
            twilio["status_callback_url"] = callback
            c["twilio"] = twilio
        }
        try run("ml-connector", ["ping"])
        try demo.authorizeShipBob()
        try demo.editConfig { c in
            var shipbob = c["shipbob"] as! [String: Any]
            shipbob["auth"] = "oauth"
            c["shipbob"] = shipbob
        }
        try run("syspro-to-hubspot")
        try run("po-alerts-twilio")
        try approve("P00874")
        try run("po-alerts-twilio")
        waitForCallbacks(atLeast: 2)
        try run("po-alerts-twilio")
        try approve("P00875")
        try run("po-alerts-twilio")
        waitForCallbacks(atLeast: 2)
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949208, webhookID: "msg_before").status, 0)
    }

    func testRotationsKilledAtRandomMomentsResumeAndLeaveEveryValueUnderTheNewKeyAlone() throws {
        try fillState()
        let before = try sealedValues()
        for (kind, values) in before { XCTAssertFalse(values.isEmpty, "no \(kind) values to rotate") }
        XCTAssertEqual(before["tokens"]?.map(\.context).sorted(), ["shipbob-oauth.json", "syspro-session.json"])
        let plainBefore = try plaintexts(before, key: MasterKey.load(from: keyPath))
        var keys = KeysSeen(directory: demo.work + "/keys")
        try keys.add(keyPath)

        // Each round SIGKILLs a fresh rotation at a random moment; one that a kill left half
        // done is resumed, killed again at random, then finished. The moments are drawn
        // between the latest kill that came before the in-place writes and the earliest that
        // came after them, so the rounds close in on those writes however fast this machine
        // is, and the loop ends once a kill has left one to tear.
        var early: UInt32 = 0, late: UInt32 = 2_000_000
        var rounds = 0, midRotation = 0, torn = 0
        repeat {
            rounds += 1
            let (moment, stage) = try killARotation(within: early...max(early, late))
            switch stage {
            case .notBegun, .beforeWrites: early = moment
            case .writing: break
            case .afterWrites, .done: late = moment
            }
            if stage != .notBegun && stage != .done {
                midRotation += 1
                try keys.add(keyPath + ".new")
                if midRotation == 1 { try assertEverythingWorksHalfRotated() }
                var tore = try stage == .writing && tearAJournaledWrite()
                if !tore {
                    let (_, resumed) = try killARotation(within: 0...late)
                    tore = try resumed == .writing && tearAJournaledWrite()
                }
                if FileManager.default.fileExists(atPath: keyPath + ".new") {
                    let finished = try run("ml-connector", ["rotate-key"])
                    XCTAssertTrue(finished.stdout.hasPrefix("rotated the master key"), finished.stdout)
                    if tore {
                        torn += 1
                        XCTAssertTrue(finished.stderr.contains("redoing writes an interrupted rotation began"), finished.stderr)
                    }
                }
            }
            try keys.add(keyPath)
            if late <= early + 1_000 { (early, late) = (0, min(2 * late + 1_000, 60_000_000)) }
        } while (torn == 0 || rounds < 12) && rounds < 500
        XCTAssertGreaterThan(torn, 0, "no kill in \(rounds) rounds landed among the journaled writes")

        let done = try run("ml-connector", ["rotate-key"])
        XCTAssertTrue(done.stdout.hasPrefix("rotated the master key"), done.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: keyPath + ".new"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.state + "/rotate-key.journal"))
        try keys.add(keyPath)

        // Every value opens with the key now in force and with no other key it ever had, and
        // nothing sealed before the rounds is missing (later work only adds values).
        let new = try MasterKey.load(from: keyPath)
        let finalKey = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        let retired = try keys.all().filter { try Data(contentsOf: URL(fileURLWithPath: $0)) != finalKey }
        XCTAssertGreaterThan(retired.count, 0)
        let after = try sealedValues()
        let summary = "after \(rounds) rounds, \(midRotation) killed mid-rotation, \(torn) writes torn"
        for (kind, values) in after {
            for v in values {
                XCTAssertNoThrow(try new.open(v.sealed, context: v.context), "\(kind) \(v.context) does not open with the new key (\(summary))")
                for old in retired {
                    XCTAssertThrowsError(try MasterKey.load(from: old).open(v.sealed, context: v.context),
                                         "\(kind) \(v.context) still opens with a retired key (\(summary))")
                }
            }
        }
        let plainAfter = try plaintexts(after, key: new)
        for kind in ["secrets", "audit", "outbox", "spool"] {
            let missing = plainBefore[kind]!.subtracting(plainAfter[kind]!)
            XCTAssertTrue(missing.isEmpty, "\(kind): \(missing.count) value(s) lost (\(summary))")
        }
        XCTAssertEqual(Set(after["tokens"]!.map(\.context)), Set(before["tokens"]!.map(\.context)))

        // Every job works with the new key alone.
        try run("po-alerts-twilio")
        XCTAssertEqual(demo.files("spool/twilio/new"), [], "the callbacks spooled before the rotation were read")
        XCTAssertEqual(demo.files("spool/twilio/failed"), [])
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "FREIGHT", "invoice": "LFS-30412", "journal": 320]).status, 200)
        try run("po-alerts-twilio")
        let texts = try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [[String: Any]]
        XCTAssertEqual(texts.filter { $0["to"] as? String == "+15555550103" }.count, 1, "an SMS sealed and opened after the rotation")
        try run("syspro-to-hubspot")
        let ping = try run("ml-connector", ["ping"])
        XCTAssertFalse(ping.stdout.contains("FAIL"), ping.stdout)
        XCTAssertEqual(try run("ml-connector", ["config", "check"]).stdout, "ok demo\n")
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15947699, webhookID: "msg_after").status, 0)
        try run("shipbob-to-syspro")
        let personal = try run("ml-connector", ["audit", "--personal", "--json"])
        XCTAssertFalse(personal.stdout.contains("personal_error"), personal.stdout)
    }

    /// Where a killed rotation stood, as the state directory shows it: no new key yet; a new
    /// key but no in-place write journaled; journaled writes not marked done; all of them
    /// done; the new key in force (or the run ended before the kill).
    enum Stage { case notBegun, beforeWrites, writing, afterWrites, done }

    /// Starts `ml-connector rotate-key` and SIGKILLs it at a moment drawn from `within`
    /// (microseconds).
    func killARotation(within: ClosedRange<UInt32>) throws -> (moment: UInt32, stage: Stage) {
        let keyBefore = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        let moment = UInt32.random(in: within)
        let killed = try runKilled("ml-connector", ["rotate-key"], env: demo.env, after: moment)
        guard FileManager.default.fileExists(atPath: keyPath + ".new") else {
            let replaced = try Data(contentsOf: URL(fileURLWithPath: keyPath)) != keyBefore
            return (moment, killed && !replaced ? .notBegun : .done)
        }
        let records = try journalRecords()
        let pending = Set(records.compactMap { $0["pending"] as? String })
        if pending.isEmpty { return (moment, .beforeWrites) }
        return (moment, pending.isSubset(of: Set(records.compactMap { $0["done"] as? String })) ? .afterWrites : .writing)
    }

    /// rotate-key.journal's records (RotationJournal), none when there is no journal.
    func journalRecords() throws -> [[String: Any]] {
        let journal = demo.state + "/rotate-key.journal"
        guard FileManager.default.fileExists(atPath: journal) else { return [] }
        return try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Half-rotated, webhook-cgi and the jobs open values under either key.
    func assertEverythingWorksHalfRotated(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15948959, webhookID: "msg_between").status, 0, file: file, line: line)
        XCTAssertEqual(demo.files("spool/shipbob/new").count, 2, "the webhook secret opened, re-sealed or not", file: file, line: line)
        try run("shipbob-to-syspro", file: file, line: line)
        let orders = try demo.salesOrders().compactMap { ($0["CustomerPoNumber"] as? String)?.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(orders.contains("SB15949208") && orders.contains("SB15948959"), "\(orders)", file: file, line: line)
    }

    /// What each kind's values say, opened (secrets with their names), each repeat numbered
    /// so a value sealed twice in the same words counts twice.
    func plaintexts(_ values: [String: [(sealed: String, context: String)]], key: MasterKey) throws -> [String: Set<String>] {
        try values.mapValues { vs in
            var seen: [String: Int] = [:]
            return Set(try vs.map { v in
                let text = "\(v.context): \(try key.open(v.sealed, context: v.context))"
                seen[text, default: 0] += 1
                return "\(text) #\(seen[text]!)"
            })
        }
    }

    /// Every master key the state directory has had, each copied into a file of its own so
    /// that it opens only what was sealed with it.
    struct KeysSeen {
        let directory: String
        private var contents: Set<Data> = []

        init(directory: String) { self.directory = directory }

        mutating func add(_ path: String) throws {
            let key = try Data(contentsOf: URL(fileURLWithPath: path))
            guard contents.insert(key).inserted else { return }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let copy = directory + "/key-\(contents.count)"
            try key.write(to: URL(fileURLWithPath: copy))
            chmod(copy, 0o600)
        }

        func all() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: directory).map { directory + "/" + $0 }
        }
    }

    /// What a crash in the middle of a write can leave: half of a journaled value written,
    /// over one the kill left unwritten; false when it left none.
    func tearAJournaledWrite() throws -> Bool {
        let records = try journalRecords()
        let done = Set(records.compactMap { $0["done"] as? String })
        for r in records {
            guard let path = r["pending"] as? String, !done.contains(path) else { continue }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            for edit in r["edits"] as! [[String: Any]] {
                let at = UInt64(edit["at"] as! Int), sealed = Data((edit["sealed"] as! String).utf8)
                try handle.seek(toOffset: at)
                guard try handle.read(upToCount: sealed.count) != sealed else { continue }
                try handle.seek(toOffset: at)
                try handle.write(contentsOf: sealed.prefix(sealed.count / 2))
                return true
            }
        }
        return false
    }

    func testARotationChecksEverythingFirstAndChangesNothingWhenAValueOpensWithNoKey() throws {
        demo = try DemoTenant(webStack: false)
        let key = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        let dry = try run("ml-connector", ["rotate-key", "--dry-run"])
        XCTAssertTrue(dry.stdout.hasPrefix("would re-seal ") && dry.stdout.contains("tenants/demo/secrets.json"), dry.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: keyPath + ".new"))

        let running = FileLock(path: demo.tenantDir + "/locks/po-alerts-twilio.lock")
        XCTAssertTrue(try running.tryLock())
        let busy = try run("ml-connector", ["rotate-key", "--wait", "0.2"], expect: 75)
        XCTAssertTrue(busy.stderr.contains("po-alerts-twilio.lock stayed busy"), busy.stderr)
        running.unlock()

        try demo.setSecret("hubspot_token", "pat-na1-x")
        let path = demo.tenantDir + "/secrets.json"
        var secrets = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: String]
        secrets["hubspot_token"] = "v1:" + Data(repeating: 1, count: 40).base64EncodedString()
        try JSONSerialization.data(withJSONObject: secrets).write(to: URL(fileURLWithPath: path))
        let refused = try run("ml-connector", ["rotate-key"], expect: 65)
        XCTAssertTrue(refused.stderr.contains("secrets.json (secret hubspot_token)"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: keyPath)), key)
        XCTAssertFalse(FileManager.default.fileExists(atPath: keyPath + ".new"))
    }
}
