/// The release every outbound request announces in `User-Agent` (docs/architecture.md, Conventions), so a
/// vendor's support desk can tell our traffic and our version from anyone else's.
public enum ConnectorVersion {
    public static let current = "0.1.0"
    public static var userAgent: String { "ml-connector/\(current)" }
}
