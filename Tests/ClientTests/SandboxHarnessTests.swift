import ConnectorKit
import ENetXML
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import WebhookCore
import XCTest

/// Starts one sandbox per test on a free loopback port and talks to it over real HTTP.
class SandboxTestCase: XCTestCase {
    var server: SandboxServer!
    var base = ""

    /// Tests override this to tighten timeouts and limits.
    var options: SandboxOptions { SandboxOptions() }

    override func setUp() async throws {
        server = SandboxServer(options: options)
        let port = try await server.start()
        base = "http://127.0.0.1:\(port)"
    }

    override func tearDown() async throws {
        await server.stop()
    }

    struct HTTPResult {
        let status: Int
        let headers: [String: String]
        let data: Data
        var text: String { String(decoding: data, as: UTF8.self) }
        var json: JSONValue { (try? JSONValue.parse(data)) ?? .null }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: unreserved)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved)!)" }
            .joined(separator: "&")
    }

    @discardableResult
    func request(_ method: String, _ path: String, query: [(String, String)] = [], headers: [String: String] = [:],
                 body: Data? = nil, timeout: TimeInterval = 30) async throws -> HTTPResult {
        let url = URL(string: base + path + (query.isEmpty ? "" : "?" + SandboxTestCase.encode(query)))!
        var req = URLRequest(url: url, timeoutInterval: timeout)
        req.httpMethod = method
        req.httpBody = body
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: req)
        let http = response as! HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
        return HTTPResult(status: http.statusCode, headers: h, data: data)
    }

    func get(_ path: String, _ query: [(String, String)] = [], headers: [String: String] = [:]) async throws -> HTTPResult {
        try await request("GET", path, query: query, headers: headers)
    }

    func postJSON(_ path: String, _ json: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        var h = headers
        h["Content-Type"] = "application/json"
        return try await request("POST", path, headers: h, body: Data(json.utf8))
    }

    /// One HTTP exchange over a plain socket, for answers URLSession will not hand
    /// back: FoundationNetworking answers a Basic challenge itself and, having no
    /// credential, never completes the task.
    func rawGET(_ path: String) throws -> String { try rawExchange("GET", path) }

    func rawExchange(_ method: String, _ path: String, headers: [String] = [], body: String? = nil) throws -> String {
        let port = UInt16(base.split(separator: ":").last!)!
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw NSError(domain: "connect", code: Int(errno)) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for h in headers { head += h + "\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        let request = Array((head + "\r\n" + (body ?? "")).utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: SYSPRO helpers

    let rest = "/syspro/SYSPROWCFService/Rest"

    func logon(_ op: String = "ADMIN", _ password: String = "sandbox-syspro") async throws -> String {
        try await get(rest + "/Logon", [("Operator", op), ("OperatorPassword", password), ("CompanyId", "FASHION"), ("CompanyPassword", "")]).text
    }

    func post(_ session: String, _ bo: String, params: String = "", xmlIn: String, timeout: TimeInterval = 30) async throws -> HTTPResult {
        try await request("GET", rest + "/Transaction/Post",
                          query: [("UserId", session), ("BusinessObject", bo), ("XmlParameters", params), ("XmlIn", xmlIn)],
                          timeout: timeout)
    }

    func salesOrderXML(po: String, customer: String = "0000100", lines: [(code: String, wh: String?, qty: String)]) -> String {
        var x = "<SalesOrders><Orders><OrderHeader><CustomerPoNumber>\(XML.escape(po))</CustomerPoNumber><OrderActionType>A</OrderActionType>"
        x += "<Customer>\(customer)</Customer><OrderDate>2026-08-03</OrderDate><CustomerName>Maya Patel</CustomerName>"
        x += "<ShipAddress1>48 Larkin St</ShipAddress1><ShipPostalCode>94102</ShipPostalCode><ShippingInstrs>Ground</ShippingInstrs></OrderHeader><OrderDetails>"
        for (i, l) in lines.enumerated() {
            x += "<StockLine><CustomerPoLine>\(i + 1)</CustomerPoLine><LineActionType>A</LineActionType><StockCode>\(l.code)</StockCode>"
            if let wh = l.wh { x += "<Warehouse>\(wh)</Warehouse>" }
            x += "<OrderQty>\(l.qty)</OrderQty><Price>14.99</Price></StockLine>"
        }
        return x + "</OrderDetails></Orders></SalesOrders>"
    }

    let checkPo = "<SalesOrders><Parameters><Process>IMPORT</Process><IgnoreWarnings>N</IgnoreWarnings><CheckForCustomerPoNumbers>Y</CheckForCustomerPoNumbers></Parameters></SalesOrders>"

    func table(_ name: String) async throws -> [JSONValue] {
        try await get("/_control/syspro/tables/\(name)").json.array ?? []
    }

    // MARK: OData / ShipBob helpers

    let odataAuth = ["Authorization": "Basic " + Data("odata:sandbox-odata".utf8).base64EncodedString()]
    let pat = ["Authorization": "Bearer sandbox-pat-demo"]

    func odata(_ set: String, _ query: [(String, String)] = []) async throws -> HTTPResult {
        try await get("/syspro/odata/" + set, query, headers: odataAuth)
    }
}

final class SandboxHarnessTests: SandboxTestCase {
    func testStartOnPortZeroBindsAFreeLoopbackPortThatAnswers() async throws {
        XCTAssertTrue(base.hasPrefix("http://127.0.0.1:"))
        XCTAssertNotEqual(base, "http://127.0.0.1:0")
        let r = try await get(rest + "/getversion")
        XCTAssertEqual(r.text, "8.0.105")
    }

    func testNonLoopbackHostIsRefused() async throws {
        let s = SandboxServer(options: SandboxOptions(host: "0.0.0.0"))
        do {
            _ = try await s.start()
            XCTFail("started on 0.0.0.0")
        } catch {}
    }
}
