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

/// `$ML_CONNECTOR_STATE` and the master key's place, shared by webhook-cgi and StateLayout.
public enum StateRoot {
    public static func resolve(_ flag: String? = nil) -> String {
        if let flag, !flag.isEmpty { return flag }
        return Environment.nonEmpty("ML_CONNECTOR_STATE") ?? "/var/lib/ml-connector"
    }

    /// Tenant names are directory names and URL segments: lower-case letters, digits, - and _.
    public static func isValidTenant(_ n: String) -> Bool {
        !n.isEmpty && n.utf8.count <= 64 && n.first != "." && n.first != "-"
            && n.utf8.allSatisfy { c in
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"), UInt8(ascii: "_"): return true
                default: return false
                }
            }
    }

    public static func masterKeyPath(root: String) -> String {
        Environment.nonEmpty("ML_CONNECTOR_KEY_FILE") ?? (root.hasSuffix("/") ? root : root + "/") + "master.key"
    }

    /// Held shared by webhook-cgi for the whole of a request and exclusively by
    /// `ml-connector rotate-key` once its new key is in place, so no request that read the
    /// keys before the rotation began is still sealing when the rotation walks the spool.
    public static func keyLockPath(root: String) -> String {
        (root.hasSuffix("/") ? root : root + "/") + "rotate-key.lock"
    }
}
