import ConnectorKit
import ConnectorNet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TimeZones
import WebhookCore

/// The HubSpot account's time zone, where its daily limit resets at midnight
/// (docs/vendors/hubspot.md, "Daily limit resets at the account's midnight"): config
/// `hubspot.time_zone` when set, else what `GET /account-info/v3/details` said once,
/// remembered in `state/syspro-to-hubspot/account.json` (`{"time_zone": ...}`, this
/// file's format alone). An account whose zone cannot be read counts UTC days, as before.
public struct AccountZone {
    let configured: String?
    let cache: String

    public init(configured: String?, cache: String) { self.configured = configured; self.cache = cache }

    private struct Cached: Codable { var timeZone: String; enum CodingKeys: String, CodingKey { case timeZone = "time_zone" } }

    /// The zone from config or the cache, nil when HubSpot must be asked.
    public func known() throws -> ZoneInfo? {
        if let configured { return try zone(configured, source: "config.json hubspot.time_zone") }
        guard Posix.exists(cache) else { return nil }
        let c = try JSONDecoder().decode(Cached.self, from: try Posix.readFile(cache))
        return try zone(c.timeZone, source: cache)
    }

    /// Asks HubSpot and remembers the answer; a refusal (the token may lack the scope) or
    /// an unknown zone name leaves UTC, logged, and the next run asks again.
    public func ask(_ client: HubSpotClient, logger: Logger) throws -> ZoneInfo {
        let name: String?
        do { name = try client.accountTimeZone() } catch let e as VendorError where e.vendor == .hubspot && e.kind == .authRejected {
            logger.warn("cannot read the HubSpot account's time zone; counting the daily limit in UTC days (set hubspot.time_zone)", ["error": e.description])
            return .utc
        } catch let e as HTTPStatusError {
            logger.warn("cannot read the HubSpot account's time zone; counting the daily limit in UTC days (set hubspot.time_zone)", ["error": e.description])
            return .utc
        }
        guard let name, let z = try? ZoneInfo(identifier: name) else {
            logger.warn("the HubSpot account names no known time zone; counting the daily limit in UTC days (set hubspot.time_zone)", ["time_zone": name ?? "none"])
            return .utc
        }
        try Posix.makeDirectories(PathString(cache).parent)
        try AtomicFile.writeJSON(Cached(timeZone: name), to: cache)
        return z
    }

    private func zone(_ name: String, source: String) throws -> ZoneInfo {
        do { return try ZoneInfo(identifier: name) } catch { throw DataError(source: source, problem: "\(error)") }
    }
}
