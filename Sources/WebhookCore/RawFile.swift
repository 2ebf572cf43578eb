#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The file operations of the webhook path over plain byte arrays (no Foundation).
/// ConnectorKit's `Posix` covers the same calls for the jobs; the durability rules
/// (fsync the file, fsync the directory after a rename or link) are the same.
public enum RawFile {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let errno: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
    }

    static func fail(_ op: String, _ path: String) -> Failure { Failure(path: path, operation: op, errno: errno) }

    public static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", path) }
        defer { close(fd) }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 16384)
        while out.count < limit {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw fail("read", path) }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 { if errno == EINTR { continue }; throw fail("write", path) }
            off += n
        }
    }

    /// Everything written to the file system holding `path` so far, durable (syncfs(2)).
    public static func syncFileSystem(of path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", path) }
        defer { close(fd) }
        guard syncfs(fd) == 0 else { throw fail("syncfs", path) }
    }

    public static func fsyncDirectory(_ dir: String) throws {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", dir) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw fail("fsync", dir) }
    }

    /// One write(2) on an O_APPEND descriptor: concurrent appenders never interleave a line.
    public static func append(_ bytes: [UInt8], to path: String, mode: mode_t = 0o640) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail("open", path) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try appendWhole(fd, $0, path: path) }
    }

    /// Appends all of `bytes` to an O_APPEND descriptor or none of them. A full disk (or a
    /// file size limit) can let a write through in part: left there, the torn line would
    /// glue itself to the next writer's and spoil both, so the file is cut back to where
    /// this append began, unless another writer has appended since (then it is not ours to
    /// cut, and their line starts after the torn one).
    public static func appendWhole(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n >= 0 { off += n; continue }
            if errno == EINTR { continue }
            let failure = fail("write", path)
            if off > 0 {
                let end = lseek(fd, 0, SEEK_CUR)
                var st = stat()
                if Int(end) >= off, fstat(fd, &st) == 0, st.st_size == end { _ = ftruncate(fd, end - off_t(off)) }
            }
            throw failure
        }
    }

    /// The names in `dir` (without `.` and `..`); empty when it cannot be read.
    public static func names(in dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// mkdir -p.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if exists(path) { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]), mode: mode)
        }
        if mkdir(path, mode) < 0 && errno != EEXIST { throw fail("mkdir", path) }
    }
}
