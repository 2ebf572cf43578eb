#if canImport(Glibc)
import Glibc
#endif
import ConnectorKit
import ConnectorNet
import Foundation
import XCTest
import ConnectorConfig

/// The curl client against a real HTTP/1.1 server on 127.0.0.1, written here on POSIX sockets
/// so the test controls keep-alive, timing and status codes exactly.
final class HTTPClientTests: XCTestCase {
    var server: LoopbackServer!

    override func setUpWithError() throws { server = try LoopbackServer() }
    override func tearDown() { server.stop() }

    func client(timeout: Double = 5) throws -> HTTPClient {
        var s = HTTPSettings()
        s.timeoutSeconds = timeout
        s.connectTimeoutSeconds = 2
        return HTTPClient(settings: s, logger: Logger(job: "test"))
    }

    func policy(attempts: Int, sleeps: SleepRecorder) -> RetryPolicy {
        var s = HTTPSettings()
        s.maxAttempts = attempts
        return RetryPolicy(settings: s, sleep: { sleeps.add($0) }, random: { $0.upperBound })
    }

    func testSecondRequestReusesTheConnectionAndCarriesIdentity() throws {
        let c = try client()
        let first = try c.send(HTTPRequest(.get, server.url("/echo?a=1"), headers: [("X-Custom", "yes")]))
        let second = try c.send(HTTPRequest(.get, server.url("/echo?a=2")))
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(second.status, 200)
        let seen = server.requests
        XCTAssertEqual(seen.count, 2)
        XCTAssertEqual(seen[0].connection, seen[1].connection, "libcurl should reuse the keep-alive connection")
        XCTAssertEqual(seen[0].path, "/echo?a=1")
        XCTAssertEqual(seen[0].headers["user-agent"], "ml-connector/0.1.0")
        XCTAssertEqual(seen[0].headers["x-custom"], "yes")
        XCTAssertEqual(seen[0].headers["x-request-id"], "\(c.runID)-1")
        XCTAssertEqual(seen[1].headers["x-request-id"], "\(c.runID)-2")
        XCTAssertEqual(c.runID.count, 16)
        XCTAssertNil(seen[1].headers["x-custom"], "headers of one request must not leak into the next")
    }

    func testBodiesMethodsAndBasicAuth() throws {
        let c = try client()
        let payload = Data([0x3C, 0x26, 0x00, 0xFF, 0x3E])
        let post = try c.send(HTTPRequest(.post, server.url("/echo"), headers: [("Content-Type", "application/octet-stream")],
                                          body: payload, basicAuth: ("user", "p:ss")))
        XCTAssertEqual(post.body, payload)
        XCTAssertEqual(post.header("X-Seen-Method"), "POST")
        _ = try c.send(HTTPRequest(.put, server.url("/echo"), body: Data("put".utf8)))
        _ = try c.send(HTTPRequest(.patch, server.url("/echo"), body: Data("patch".utf8)))
        _ = try c.send(HTTPRequest(.delete, server.url("/echo")))
        _ = try c.send(HTTPRequest(.post, server.url("/echo")))
        let seen = server.requests
        XCTAssertEqual(seen.map(\.method), ["POST", "PUT", "PATCH", "DELETE", "POST"])
        XCTAssertEqual(seen[0].body, [UInt8](payload))
        XCTAssertEqual(seen[0].headers["authorization"], "Basic " + Data("user:p:ss".utf8).base64EncodedString())
        XCTAssertNil(seen[1].headers["authorization"], "credentials must not leak into the next request")
        XCTAssertEqual(seen[1].body, Array("put".utf8))
        XCTAssertEqual(seen[2].body, Array("patch".utf8))
        XCTAssertEqual(seen[3].body, [])
        XCTAssertEqual(seen[4].headers["content-length"], "0")
    }

    func testResponseHeadersAreLowercasedAndTheLastValueWins() throws {
        let r = try client().send(HTTPRequest(.get, server.url("/headers")))
        XCTAssertEqual(r.header("x-dup"), "second")
        XCTAssertEqual(r.headers["x-mixed-case"], "Value With Spaces")
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "ok")
    }

    func testTimeoutAfterSendingIsNotRetriedForPost() throws {
        // The server holds /slow far longer than the client waits, and the test waits for the
        // server to have recorded the POST rather than assuming it has: on a busy machine the
        // server's thread may record it after the client has already given up.
        let c = try client(timeout: 2)
        XCTAssertThrowsError(try c.send(HTTPRequest(.get, server.url("/slow")))) { error in
            let e = error as? TransportError
            XCTAssertEqual(e?.code, 28)
            XCTAssertEqual(e?.nothingSent, false)
        }
        let sleeps = SleepRecorder()
        XCTAssertThrowsError(try c.perform(HTTPRequest(.post, server.url("/slow")), policy: policy(attempts: 3, sleeps: sleeps))) {
            XCTAssertTrue($0 is TransportError, "\($0)")
        }
        XCTAssertEqual(sleeps.all, [])
        XCTAssertTrue(server.waitUntil { $0.contains { $0.method == "POST" } }, "the server never saw the POST")
        XCTAssertEqual(server.requests.filter { $0.method == "POST" }.count, 1)
    }

    func testRefusedConnectionIsRetriedEvenForPost() throws {
        let port = try LoopbackServer.closedPort()
        let sleeps = SleepRecorder()
        XCTAssertThrowsError(try client().perform(HTTPRequest(.post, "http://127.0.0.1:\(port)/x"), policy: policy(attempts: 3, sleeps: sleeps))) { error in
            XCTAssertTrue(error is RetriesExhausted, "\(error)")
            XCTAssertEqual((error as? ConnectorError)?.exitStatus, .unavailable)
        }
        XCTAssertEqual(sleeps.all, [0.5, 1.0])
    }

    func testServiceUnavailableRetriedForGetNotForPost() throws {
        let c = try client()
        let sleeps = SleepRecorder()
        XCTAssertThrowsError(try c.perform(HTTPRequest(.get, server.url("/status/503")), policy: policy(attempts: 3, sleeps: sleeps))) {
            XCTAssertTrue($0 is RetriesExhausted, "\($0)")
        }
        XCTAssertEqual(sleeps.all, [0, 0], "Retry-After: 0 replaces the jitter")
        let post = try c.perform(HTTPRequest(.post, server.url("/status/503")), policy: policy(attempts: 3, sleeps: sleeps))
        XCTAssertEqual(post.status, 503)
        XCTAssertEqual(server.requests.count, 4)
    }
}

final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var sleeps: [Double] = []
    func add(_ s: Double) { lock.lock(); sleeps.append(s); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return sleeps }
}

/// A minimal HTTP/1.1 keep-alive server: each accepted connection gets a thread and a number,
/// every request is recorded with the number of the connection it came on.
final class LoopbackServer: @unchecked Sendable {
    struct Seen {
        let connection: Int
        let method: String
        let path: String
        let headers: [String: String]
        let body: [UInt8]
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var seen: [Seen] = []
    private var connectionCount = 0
    private var open: [Int32] = []

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        port = try LoopbackServer.bind(listener)
        guard listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// A port nobody listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return try bind(fd)
    }

    private static func bind(_ fd: Int32) throws -> Int {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &addr, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, size) } }) == 0
        else { throw POSIXError(.EADDRINUSE) }
        var bound = sockaddr_in()
        var len = size
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var requests: [Seen] { lock.lock(); defer { lock.unlock() }; return seen }

    /// Waits (up to a minute, so a busy machine cannot fail it) until the requests seen so far
    /// satisfy `condition`.
    func waitUntil(_ condition: ([Seen]) -> Bool) -> Bool {
        for _ in 0..<600 {
            if condition(requests) { return true }
            usleep(100_000)
        }
        return condition(requests)
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.lock()
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { return }
            lock.lock()
            connectionCount += 1
            let number = connectionCount
            open.append(fd)
            lock.unlock()
            Thread.detachNewThread { [self] in serve(fd, connection: number) }
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        while true {
            var headEnd: Int?
            while headEnd == nil {
                if let r = find([13, 10, 13, 10], in: buffer) { headEnd = r } else if !fill() { return }
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
            buffer.removeFirst(headEnd! + 4)
            let requestLine = head[0].split(separator: " ")
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length { if !fill() { return } }
            let body = Array(buffer[0..<length])
            buffer.removeFirst(length)
            let method = String(requestLine[0]), path = String(requestLine[1])
            lock.lock()
            seen.append(Seen(connection: connection, method: method, path: path, headers: headers, body: body))
            lock.unlock()

            var status = 200
            var extra: [String] = []
            var reply: [UInt8] = Array("ok".utf8)
            if path.hasPrefix("/echo") {
                extra = ["X-Seen-Method: \(method)"]
                reply = body
            } else if path == "/headers" {
                extra = ["X-Dup: first", "X-Dup: second", "X-Mixed-Case: Value With Spaces"]
            } else if path == "/slow" {
                sleep(20)
            } else if path.hasPrefix("/status/") {
                status = Int(path.dropFirst(8)) ?? 500
                extra = ["Retry-After: 0"]
            }
            let text = (["HTTP/1.1 \(status) X", "Content-Length: \(reply.count)", "Connection: keep-alive"] + extra)
                .joined(separator: "\r\n") + "\r\n\r\n"
            let out = Array(text.utf8) + reply
            if send(fd, out, out.count, Int32(MSG_NOSIGNAL)) < 0 { return }
        }
    }

    private func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
