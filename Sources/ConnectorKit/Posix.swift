import CLinux
import WebhookCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Thin, throwing wrappers over the few system calls the state directory is built on.
/// Kept here so every durability rule (fsync file, fsync directory) lives in one place.
public enum Posix {
    @discardableResult
    static func check(_ rc: Int32, _ op: String, _ path: String) throws -> Int32 {
        if rc < 0 { throw StateError(path: path, operation: op, errno: errno) }
        return rc
    }

    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        return try check(fd, "open", path)
    }

    /// A batch job frees each page of JSON before reading the next; glibc's defaults give
    /// freed memory back to the kernel (the heap trimmed above 128 KiB, large blocks
    /// mmapped and unmapped), and the next page faults it all in again: 54,000 page
    /// faults in a first poll of 100,000 rows, 22,000 keeping it. A job lives for
    /// seconds, so it keeps what it freed (32 MiB is the largest mmap threshold glibc takes).
    public static func keepFreedMemory() {
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw StateError(path: path, operation: "write", errno: errno)
            }
            off += n
        }
    }

    public static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// All of `bytes` appended to an O_APPEND descriptor, or none (WebhookCore's
    /// `RawFile.appendWhole`): a full disk must not leave a torn line for the next to glue onto.
    public static func appendWhole(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        do { try RawFile.appendWhole(fd, bytes, path: path) } catch let e as RawFile.Failure {
            throw StateError(path: path, operation: e.operation, errno: e.errno)
        }
    }

    /// Reads to end of file (or `limit` bytes) from an open descriptor.
    public static func readAll(_ fd: Int32, limit: Int = .max, path: String) throws -> Data {
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let want = min(buf.count, limit - out.count)
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StateError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public static func fsync(_ fd: Int32, path: String) throws {
        try check(Glibc.fsync(fd), "fsync", path)
    }

    /// Makes a rename, link or unlink inside `dir` durable.
    public static func fsyncDirectory(_ dir: String) throws {
        let fd = try open(dir, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: dir)
    }

    public static func rename(_ from: String, _ to: String) throws {
        try check(Glibc.rename(from, to), "rename to \(to)", from)
    }

    /// mkdir -p with the given mode for each created level.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        var st = stat()
        if stat(path, &st) == 0 { return }
        let parent = PathString(path).parent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: mode) }
        if Glibc.mkdir(path, mode) < 0 && errno != EEXIST {
            throw StateError(path: path, operation: "mkdir", errno: errno)
        }
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func readFile(_ path: String) throws -> Data {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    /// Names in a directory, unsorted, without `.` and `..`. A missing directory is empty.
    public static func list(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else {
            if errno == ENOENT { return [] }
            throw StateError(path: dir, operation: "opendir", errno: errno)
        }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func unlink(_ path: String) throws {
        if Glibc.unlink(path) < 0 && errno != ENOENT {
            throw StateError(path: path, operation: "unlink", errno: errno)
        }
    }

    public static func modificationTime(_ path: String) -> Date? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec))
    }
}

/// Path arithmetic on plain strings, so hot paths do not build URLs.
public struct PathString {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var parent: String {
        guard let i = value.lastIndex(of: "/") else { return "" }
        return i == value.startIndex ? "/" : String(value[..<i])
    }
    public var lastComponent: String {
        guard let i = value.lastIndex(of: "/") else { return value }
        return String(value[value.index(after: i)...])
    }
}

extension String {
    /// `"a" / "b"` == `"a/b"`: readable path joins.
    public static func / (lhs: String, rhs: String) -> String {
        lhs.hasSuffix("/") ? lhs + rhs : lhs + "/" + rhs
    }
}

