import Foundation

/// A one-purpose HTTP listener on loopback for the sandbox's Twilio status callbacks:
/// records each POST's path, headers and form body and answers 204.
final class TwilioCallbackListener: @unchecked Sendable {
    struct Received {
        let path: String
        let headers: [String: String]
        let params: [(String, String)]
        func param(_ name: String) -> String? { params.first { $0.0 == name }?.1 }
    }

    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var received: [Received] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw NSError(domain: "listen", code: Int(errno)) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// Ends the accept loop (shutdown wakes a blocked accept on Linux).
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    var all: [Received] { lock.withLock { received } }

    /// Waits until `count` callbacks arrived (or `timeout` passed) and returns them.
    func wait(for count: Int, timeout: Double = 10) async -> [Received] {
        let end = Date().addingTimeInterval(timeout)
        while all.count < count && Date() < end { try? await Task.sleep(for: .milliseconds(20)) }
        return all
    }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            handle(c)
            close(c)
        }
    }

    private func handle(_ c: Int32) {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Int?
        var length = 0
        while headerEnd == nil || data.count < headerEnd! + length {
            let n = recv(c, &buf, buf.count, 0)
            if n <= 0 { return }
            data += buf[0..<n]
            if headerEnd == nil, let r = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headerEnd = r.upperBound
                let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
                length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let p = line.split(separator: ":", maxSplits: 1)
                    return p.count == 2 && p[0].lowercased() == "content-length" ? Int(p[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
            }
        }
        let lines = String(decoding: data[..<(headerEnd! - 4)], as: UTF8.self).split(separator: "\r\n").map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let p = line.split(separator: ":", maxSplits: 1).map(String.init)
            if p.count == 2 { headers[p[0].lowercased()] = p[1].trimmingCharacters(in: .whitespaces) }
        }
        let body = String(decoding: data[headerEnd!...], as: UTF8.self)
        let params = body.split(separator: "&").map { pair -> (String, String) in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (kv[0], kv.count > 1 ? kv[1] : "")
        }
        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        lock.withLock { received.append(Received(path: path, headers: headers, params: params)) }
        let reply = Array("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".utf8)
        _ = reply.withUnsafeBytes { send(c, $0.baseAddress, $0.count, 0) }
    }
}
