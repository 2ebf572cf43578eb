import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Thin, throwing wrappers over the few system calls the state directory is built on,
/// for webhook-cgi and the jobs alike (no Foundation; ConnectorKit adds `Data` and `Date`
/// forms). Kept here so every durability rule (fsync the file, fsync the directory after
/// a rename or link) lives in one place, and every failure is a `StateError`.
public enum Posix {
    static func fail(_ op: String, _ path: String) -> StateError { StateError(path: path, operation: op, errno: errno) }

    @discardableResult
    static func check(_ rc: Int32, _ op: String, _ path: String) throws -> Int32 {
        if rc < 0 { throw fail(op, path) }
        return rc
    }

    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws -> Int32 {
        try check(Glibc.open(path, flags | O_CLOEXEC, mode), "open", path)
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
                throw fail("write", path)
            }
            off += n
        }
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
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

    /// One write(2) on an O_APPEND descriptor (`appendWhole`): concurrent appenders never
    /// interleave a line. `durable` adds an fsync.
    public static func append(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o640, durable: Bool = false) throws {
        let fd = try open(path, O_WRONLY | O_APPEND | O_CREAT, mode)
        defer { close(fd) }
        try appendWhole(fd, bytes, path: path)
        if durable { try fsync(fd, path: path) }
    }

    public static func append(_ bytes: [UInt8], to path: String, mode: mode_t = 0o640, durable: Bool = false) throws {
        try bytes.withUnsafeBytes { try append($0, to: path, mode: mode, durable: durable) }
    }

    /// Reads to end of file (or `limit` bytes) from an open descriptor, handing each chunk
    /// (of at most `chunk` bytes) read to `take`.
    public static func readAll(_ fd: Int32, limit: Int = .max, chunk: Int = 65536, path: String,
                               _ take: (ArraySlice<UInt8>) -> Void) throws {
        var buf = [UInt8](repeating: 0, count: min(chunk, max(limit, 1)))
        var total = 0
        while total < limit {
            let want = min(buf.count, limit - total)
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("read", path)
            }
            if n == 0 { break }
            take(buf[0..<n])
            total += n
        }
    }

    /// The file's bytes, at most `limit` of them. The files webhook-cgi reads (key, config,
    /// secrets) are small: 16 KiB chunks, not a 64 KiB buffer to clear per file per request.
    public static func readBytes(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var out = [UInt8]()
        try readAll(fd, limit: limit, chunk: 16384, path: path) { out += $0 }
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

    /// Everything written to the file system holding `path` so far, durable (syncfs(2)).
    public static func syncFileSystem(of path: String) throws {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        try check(syncfs(fd), "syncfs", path)
    }

    public static func rename(_ from: String, _ to: String) throws {
        try check(Glibc.rename(from, to), "rename to \(to)", from)
    }

    /// mkdir -p with the given mode for each created level.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if exists(path) { return }
        let parent = PathString(path).parent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: mode) }
        if Glibc.mkdir(path, mode) < 0 && errno != EEXIST { throw fail("mkdir", path) }
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Names in a directory, unsorted, without `.` and `..`. A missing directory is empty.
    public static func list(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else {
            if errno == ENOENT { return [] }
            throw fail("opendir", dir)
        }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func unlink(_ path: String) throws {
        if Glibc.unlink(path) < 0 && errno != ENOENT { throw fail("unlink", path) }
    }
}
