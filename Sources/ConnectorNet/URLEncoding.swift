import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Percent-encoding for query strings and form bodies. Everything outside RFC 3986's
/// unreserved set is encoded, because SYSPRO takes whole XML documents in the query
/// string (docs/vendors/syspro.md: "all inputs URL-encoded in the query string, XML included"):
/// `<`, `&`, `=`, `+`, `'` and spaces must all survive the trip unchanged.
public enum URLEncoding {
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) { out.unicodeScalars.append(Unicode.Scalar(b)) }
            else { out += "%" + hex(b >> 4) + hex(b & 0xF) }
        }
        return out
    }

    /// `a=1&b=2`, names and values encoded, in the order given.
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    /// `base?query`, or `base&query` when the base already carries a query.
    public static func url(_ base: String, query items: [(String, String)]) -> String {
        guard !items.isEmpty else { return base }
        return base + (base.contains("?") ? "&" : "?") + query(items)
    }

    /// The query of `url` as (name, value) pairs, decoded (`+` as a space, `%XX`), in order:
    /// the reverse of `url(_:query:)`, for the few places that read back a URL built here.
    public static func queryItems(_ url: String) -> [(name: String, value: String)] {
        guard let q = url.firstIndex(of: "?") else { return [] }
        func decode(_ s: Substring) -> String {
            FormURLEncoded.component(s) ?? String(s).replacing("+", with: " ")
        }
        return url[url.index(after: q)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count == 2 ? decode(parts[1]) : "")
        }
    }

    /// An `application/x-www-form-urlencoded` body (spaces as `%20`, which every form
    /// parser accepts, rather than `+`, which some take literally).
    public static func form(_ items: [(String, String)]) -> Data {
        Data(query(items).utf8)
    }

    /// Joins a base URL and a path with exactly one slash between them.
    public static func join(_ base: String, _ path: String) -> String {
        let b = base.hasSuffix("/") ? String(base.dropLast()) : base
        let p = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return b + "/" + p
    }

    /// `scheme://host[:port]` of an absolute URL, `nil` for a relative one.
    public static func origin(_ url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        return String(url[..<(rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex)])
    }

    /// A next-page link from a server's answer, made to point at `base`'s origin. Links may be
    /// relative, or name the host the server sees behind a reverse proxy; either way the
    /// request goes where the tenant's config says, so credentials are never sent elsewhere.
    public static func resolve(_ link: String, against base: String) -> String {
        guard let configured = origin(base) else { return link }
        if let linked = origin(link) { return configured + link.dropFirst(linked.count) }
        return link.hasPrefix("/") ? configured + link : join(base, link)
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    private static func hex(_ n: UInt8) -> String { String(n, radix: 16, uppercase: true) }
}
