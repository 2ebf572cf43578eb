#if canImport(Glibc)
import Glibc
#endif

/// A system call on a file the connector owns that failed: what was done, to which path,
/// and the system's reason. The one error of `Posix`, for webhook-cgi and the jobs alike
/// (ConnectorKit gives it exit status 74, EX_IOERR).
public struct StateError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32
    public init(path: String, operation: String, errno: Int32) {
        self.path = path; self.operation = operation; self.errno = errno
    }
    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}
