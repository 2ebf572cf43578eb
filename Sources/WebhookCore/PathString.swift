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
