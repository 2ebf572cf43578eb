#if canImport(Glibc)
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import WebhookCore

/// WebhookCore's `Posix` in the jobs' types: `Data` for bytes, `Date` for times.
extension Posix {
    public static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads to end of file (or `limit` bytes) from an open descriptor.
    public static func readAll(_ fd: Int32, limit: Int = .max, path: String) throws -> Data {
        var out = Data()
        try readAll(fd, limit: limit, path: path) { out.append(contentsOf: $0) }
        return out
    }

    public static func readFile(_ path: String) throws -> Data {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    public static func modificationTime(_ path: String) -> Date? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec))
    }
}
