import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Finds the executables `swift build` produced next to the test bundle.
enum Products {
    static let directory: String = {
        if let dir = ProcessInfo.processInfo.environment["ML_CONNECTOR_BIN"] { return dir }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }()
    static func path(_ name: String) -> String { directory + "/" + name }
    static let repoRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with the given environment additions and stdin.
@discardableResult
func run(_ program: String, _ args: [String], env: [String: String] = [:], stdin: String? = nil,
         file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : Products.path(program))
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out; p.standardError = err; p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
    var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    p.waitUntilExit()
    group.wait()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// A free TCP port on loopback (bound then released; the tiny race is acceptable in tests).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

func waitForPort(_ port: Int, timeout: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        close(fd)
        if ok { return true }
        usleep(50_000)
    }
    return false
}

/// A long-running child (sandbox, nginx, fcgiwrap), stopped when the test ends.
final class Daemon {
    let process = Process()
    let name: String
    private let errPipe = Pipe()

    init(_ name: String, _ program: String, _ args: [String], env: [String: String] = [:]) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = args
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
    }

    /// Starts and, when `readyLine` is set, waits for a stdout line starting with it.
    @discardableResult
    func start(readyLine: String? = nil, timeout: Double = 60) throws -> String? {
        let outPipe = Pipe()
        process.standardOutput = outPipe
        try process.run()
        guard let readyLine else { return nil }
        let handle = outPipe.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let text = String(data: buffer, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix(readyLine) }) {
                return String(line)
            }
        }
        throw NSError(domain: "Daemon", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(name) did not become ready"])
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    deinit { stop() }
}

/// Minimal synchronous HTTP for the tests (URLSession on a background queue).
struct HTTP {
    struct Response { var status: Int; var body: Data; var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) } }

    static func request(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) throws -> Response {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = method
        req.httpBody = body
        req.timeoutInterval = 30
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let sem = DispatchSemaphore(value: 0)
        var result: Result<Response, Error> = .failure(NSError(domain: "HTTP", code: 0))
        URLSession.shared.dataTask(with: req) { data, resp, error in
            if let error { result = .failure(error) }
            else if let http = resp as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
                result = .success(Response(status: http.statusCode, body: data ?? Data(), headers: h))
            }
            sem.signal()
        }.resume()
        sem.wait()
        return try result.get()
    }

    static func json(_ url: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try request("GET", url).body)
    }
}
