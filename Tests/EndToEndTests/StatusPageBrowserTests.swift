import Foundation
import XCTest

/// The `--html` page as a person sees it: rendered by headless Chromium (scripts/install-deps
/// installs it), the screenshot decoded with Pillow. Each verdict must appear as its colour,
/// top to bottom in the order status reports them, so the colours sit on the right rows.
final class StatusPageBrowserTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    static let chromium = "/usr/bin/chromium"
    /// The badge colours of StatusHTML, by the CSS class each verdict gets.
    static let tones: [String: [Int]] = ["ok": [0x1a, 0x7f, 0x37], "crit": [0xcf, 0x22, 0x2e], "warn": [0x9a, 0x67, 0x00],
                                         "held": [0x09, 0x69, 0xda], "none": [0x6e, 0x77, 0x81]]
    static func tone(_ verdict: String) -> String {
        switch verdict {
        case "FAILING", "STALE": return "crit"
        case "ATTENTION", "DEFERRED": return "warn"
        case "HELD": return "held"
        case "OK": return "ok"
        default: return "none"
        }
    }

    /// Horizontal bands where a badge colour fills a solid area (a 5x5 minimum filter erases
    /// anti-aliased text whose edge pixels happen to match), top to bottom.
    static let analysis = """
    import json, sys
    from PIL import Image, ImageChops, ImageFilter
    img = Image.open(sys.argv[1]).convert("RGB")
    w, h = img.size
    r, g, b = img.split()
    def near(ch, v):
        return ch.point(lambda p: 255 if abs(p - v) <= 8 else 0)
    bands = []
    for name, (cr, cg, cb) in json.loads(sys.argv[2]).items():
        mask = ImageChops.multiply(ImageChops.multiply(near(r, cr), near(g, cg)), near(b, cb))
        rows = list(mask.filter(ImageFilter.MinFilter(5)).resize((1, h), Image.BOX).getdata())
        start = None
        for y, v in enumerate(rows + [0]):
            filled = v * w / 255 >= 8
            if filled and start is None:
                start = y
            elif not filled and start is not None:
                bands.append({"tone": name, "top": start, "bottom": y})
                start = None
    bands.sort(key=lambda band: band["top"])
    white = img.convert("L").histogram()[255]
    print(json.dumps({"width": w, "height": h, "nonwhite": w * h - white, "bands": bands}))
    """

    func testThePageShowsEachJobsVerdictAsAColouredWordOnItsRow() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            return XCTFail("\(Self.chromium) is missing: run scripts/install-deps (it installs chromium)")
        }
        demo = try DemoTenant()
        // One order of an unmapped channel parks (ATTENTION), the poll succeeds (OK), the
        // HubSpot sync has no token (FAILING), the alerts are held (HELD), the rest never ran.
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949217, webhookID: "msg_pos").status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try demo.job("poll-syspro-inventory").status, 0)
        try demo.removeSecret("hubspot_token")
        XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 78)
        XCTAssertEqual(try runProgram("ml-connector", ["hold", "po-alerts-twilio", "--reason", "new numbers"], env: demo.env).status, 0)

        let env = ["ML_CONNECTOR_STATE": demo.state]
        let json = try runProgram("ml-connector", ["status", "--json"], env: env)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let tenant = (report["tenants"] as! [[String: Any]])[0]
        let verdicts = (tenant["jobs"] as! [[String: Any]]).map { $0["verdict"] as! String }
        XCTAssertEqual(Set(verdicts), ["ATTENTION", "OK", "FAILING", "HELD", "NEVER RUN"], "the page must show every kind of row")

        let page = demo.work + "/www/status.html"
        try FileManager.default.createDirectory(atPath: demo.work + "/www", withIntermediateDirectories: true)
        let html = try runProgram("ml-connector", ["status", "--html", page], env: env)
        XCTAssertEqual(html.status, 2, "a job is failing: \(html.stderr)")
        XCTAssertEqual(html.stdout, "", "--html prints nothing (cron mails what is printed)")
        let source = try String(contentsOfFile: page, encoding: .utf8)
        for external in ["<script", "<link", "src=", "url(", "@import"] {
            XCTAssertFalse(source.contains(external), "the page is self-contained: \(external)")
        }

        let chrome = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                      "--force-device-scale-factor=1", "--user-data-dir=\(demo.work)/chromium"]
        let dom = try runProgram(Self.chromium, chrome + ["--dump-dom", "file://" + page])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        for text in ["Tenant demo", "FAILING", "hubspot_token", "ATTENTION", "55178", "HELD", "NEVER RUN", "poll-syspro-inventory"] {
            XCTAssertTrue(dom.stdout.contains(text), "the rendered DOM shows \(text)")
        }

        let shot = demo.work + "/status.png"
        let s = try runProgram(Self.chromium, chrome + ["--window-size=1280,1400", "--screenshot=\(shot)", "file://" + page])
        XCTAssertEqual(s.status, 0, s.stderr)
        let tones = String(decoding: try JSONSerialization.data(withJSONObject: Self.tones), as: UTF8.self)
        let a = try runProgram("/usr/bin/python3", ["-c", Self.analysis, shot, tones])
        XCTAssertEqual(a.status, 0, "Pillow (python3-pil) reads the screenshot: \(a.stderr)")
        let found = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(found["width"] as? Int, 1280)
        XCTAssertGreaterThan(found["nonwhite"] as? Int ?? 0, 1280 * 1400 / 20, "the page is not blank")

        let bands = found["bands"] as! [[String: Any]]
        let expected = [Self.tone(report["verdict"] as! String), Self.tone(tenant["verdict"] as! String)] + verdicts.map(Self.tone)
        XCTAssertEqual(bands.map { $0["tone"] as! String }, expected,
                       "overall, tenant, then one badge per job, in order: \(bands)")
        for band in bands {
            let height = (band["bottom"] as! Int) - (band["top"] as! Int)
            XCTAssertTrue((4...40).contains(height), "a badge, not a stray area: \(band)")
        }
    }
}
