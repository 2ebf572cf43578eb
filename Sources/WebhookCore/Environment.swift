#if canImport(Glibc)
import Glibc
#endif

/// One environment variable, read with getenv(3): no dictionary of the whole environment.
public enum Environment {
    public static func get(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// Set and not empty.
    public static func nonEmpty(_ name: String) -> String? {
        get(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Standard output for JSON Lines: flushed by jobs before they record what they printed.
public enum Output {
    public static func flush() { fflush(nil) }
}
