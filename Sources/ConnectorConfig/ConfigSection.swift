import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A section of `config.json` owned by the module that reads it (`hubspot` by HubSpot,
/// `alerts` by Alerts, ...): its type holds the section's defaults, written once, and its
/// checks, so ConnectorConfig names no vendor's types. A program names the sections it reads
/// when it loads the config (`TenantConfig.load(_:sections:)`); each owning module offers its
/// section as a `TenantConfig` property (`config.hubspot`).
public protocol ConfigSection: Codable, Sendable, Equatable {
    /// Its key at the top level of config.json.
    static var key: String { get }
    /// The keys it knows; any other key in the section is refused: a misspelt key silently
    /// ignored is a setting that silently does not apply.
    static var knownKeys: Set<String> { get }
    /// The section when config.json has none; `nil` when the section is required.
    static var absent: Self? { get }
    /// Refuses unknown keys of the objects inside the section (its own keys are checked
    /// against `knownKeys`).
    static func rejectUnknownNestedKeys(_ section: JSONValue, file: String) throws
    /// Refuses a value the program could not run with, naming `file` and the key
    /// (`ConfigError`). `config` holds the sections loaded with this one, for a check that
    /// spans two (alert rules need a Twilio sender).
    func validate(file: String, config: TenantConfig) throws
}

extension ConfigSection {
    public static func rejectUnknownNestedKeys(_ section: JSONValue, file: String) throws {}
}

/// A vendor's section: the base URLs its calls start with, so a job's HTTP client counts a
/// 429 under the vendor (`syspro`, `shipbob`, ...) that answered it.
public protocol VendorSection: ConfigSection {
    var apiURLs: [String] { get }
}

extension ConfigError {
    /// Refuses anything but an http(s) URL with a host.
    public static func checkURL(_ value: String, file: String, key: String) throws {
        guard let u = URL(string: value), let scheme = u.scheme, ["http", "https"].contains(scheme), u.host != nil else {
            throw ConfigError(file: file, key: key, problem: "expected an http(s) URL, found \"\(value)\"")
        }
    }
}
