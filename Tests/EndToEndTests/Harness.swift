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
func runProgram(_ program: String, _ args: [String], env: [String: String] = [:], stdin: String? = nil,
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
    let outData = Box(Data()), errData = Box(Data())
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData.value = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData.value = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    p.waitUntilExit()
    group.wait()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData.value, as: UTF8.self),
                         stderr: String(decoding: errData.value, as: UTF8.self))
}

/// Starts a program in the background, output discarded: for tests that kill it midway.
func startProgram(_ program: String, _ args: [String] = [], env: [String: String]) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Products.path(program))
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

/// Starts a program and SIGKILLs it `after` microseconds if it is still running, as a power
/// cut or the OOM killer would, with no chance to clean up; true when the kill landed.
func runKilled(_ program: String, _ args: [String] = [], env: [String: String], after: UInt32) throws -> Bool {
    let p = try startProgram(program, args, env: env)
    usleep(after)
    let killed = p.isRunning
    if killed { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    return killed
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

/// A long-running child (sandbox, nginx, fcgiwrap) in a process group of its own, so
/// `stop()` ends it and every process it forked (fcgiwrap's and nginx's workers).
/// posix_spawn, not Foundation's Process: a daemon whose parent exits after forking
/// (fcgiwrap -c N) must be reaped and its group killed, which Process does not do.
final class Daemon {
    let name: String
    private let program: String
    private let args: [String]
    private let env: [String: String]
    private(set) var pid: pid_t = 0
    private var stdoutFD: Int32 = -1
    let logPath: String

    init(_ name: String, _ program: String, _ args: [String], env: [String: String] = [:]) throws {
        self.name = name
        self.program = program
        self.args = args
        self.env = ProcessInfo.processInfo.environment.merging(env) { $1 }
        logPath = NSTemporaryDirectory() + "mlc-\(name)-\(UUID().uuidString).log"
    }

    /// Starts and, when `readyLine` is set, waits for a stdout line starting with it.
    @discardableResult
    func start(readyLine: String? = nil, timeout: Double = 60) throws -> String? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw NSError(domain: "Daemon", code: 1) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)
        let argv = ([program] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        let rc = posix_spawn(&pid, program, &actions, &attr, argv, envp)
        close(fds[1])
        guard rc == 0 else { close(fds[0]); throw NSError(domain: "Daemon", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot start \(name)"]) }
        stdoutFD = fds[0]
        guard let readyLine else { return nil }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var pfd = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 200) >= 0 else { break }
            if pfd.revents == 0 { continue }
            let n = read(stdoutFD, &chunk, chunk.count)
            if n <= 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            if let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix(readyLine) }) {
                return String(line)
            }
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw NSError(domain: "Daemon", code: 2, userInfo: [NSLocalizedDescriptionKey: "\(name) did not become ready: \(log)"])
    }

    func stop() {
        guard pid > 0 else { return }
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) != 0 { break }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
        try? FileManager.default.removeItem(atPath: logPath)
        pid = 0
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
        let result = Box<Result<Response, Error>>(.failure(NSError(domain: "HTTP", code: 0)))
        URLSession.shared.dataTask(with: req) { data, resp, error in
            if let error { result.value = .failure(error) }
            else if let http = resp as? HTTPURLResponse {
                var h: [String: String] = [:]
                for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
                result.value = .success(Response(status: http.statusCode, body: data ?? Data(), headers: h))
            }
            sem.signal()
        }.resume()
        sem.wait()
        return try result.value.get()
    }

    static func json(_ url: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try request("GET", url).body)
    }
}

/// A value handed between a callback and the waiting test thread (the wait orders the accesses).
final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
