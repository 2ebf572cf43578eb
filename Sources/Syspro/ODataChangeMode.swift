import ConnectorKit
import ConnectorNet
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a tenant's SYSPRO OData service lets the connector find changed rows. OData 4.01
/// allows an Edm.Binary value (TimeStamp) to be compared only `eq`/`ne` null, and whether
/// SYSPRO goes further is unconfirmed (docs/vendors/syspro.md, "OData binary comparisons"):
/// - `binaryCompare`: the server accepts `TimeStamp ge/le binary'...'` and `$orderby=TimeStamp`,
///   so a window of rowversions is read;
/// - `keyed`: it refuses them, so every row's key columns, TimeStamp and the columns a job
///   needs are read in key order and compared with the rowversions stored per row.
public enum ODataChangeMode: String, Codable, Sendable {
    case binaryCompare = "binary-compare"
    case keyed
}

/// What the last probe found, with when and why: `state/syspro-odata.json`.
public struct ODataModeRecord: Codable, Sendable, Equatable {
    public var mode: ODataChangeMode
    public var probedAt: String
    /// The entity set probed and, when refused, the server's words.
    public var evidence: String

    public init(mode: ODataChangeMode, probedAt: String, evidence: String) {
        self.mode = mode; self.probedAt = probedAt; self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey { case mode, probedAt = "probed_at", evidence }
}

/// The tenant's stored change-detection mode: probed once, kept in the tenant's state, and
/// probed again when the server refuses a rowversion filter (a server upgraded or
/// reconfigured). A tenant written by an older release has no file and is probed on its
/// first run.
public struct ODataModeStore {
    public let path: String
    let odata: ODataClient

    public init(tenant: TenantPaths, odata: ODataClient) {
        path = Self.path(tenant)
        self.odata = odata
    }

    /// One file per tenant, shared by every job reading OData.
    public static func path(_ tenant: TenantPaths) -> String { tenant.state("syspro-odata.json") }

    public static func load(_ tenant: TenantPaths) throws -> ODataModeRecord? {
        try AtomicFile.readJSON(ODataModeRecord.self, from: path(tenant))
    }

    /// The stored mode, probing (on `entitySet`) and storing it when there is none.
    public func mode(probing entitySet: String) throws -> ODataChangeMode {
        if let stored = try AtomicFile.readJSON(ODataModeRecord.self, from: path) { return stored.mode }
        return try probe(entitySet).mode
    }

    /// Asks the server now and stores the answer.
    @discardableResult
    public func probe(_ entitySet: String) throws -> ODataModeRecord {
        let record = try odata.probeChangeMode(entitySet: entitySet)
        try Posix.makeDirectories(PathString(path).parent)
        try AtomicFile.writeJSON(record, to: path)
        return record
    }
}

extension ODataClient {
    /// Reads one row with exactly what a rowversion window needs (`TimeStamp gt` a binary
    /// literal, ordered by TimeStamp): an answer means `binaryCompare`, a 400 `keyed`.
    /// Anything else (401, unreachable) is thrown: it says nothing about the mode.
    public func probeChangeMode(entitySet: String, now: Date = Date()) throws -> ODataModeRecord {
        let at = Timestamp.iso8601(now)
        do {
            _ = try fetch(entitySet: entitySet, filter: "TimeStamp gt \(RowVersion(0).odataLiteral)", select: ["TimeStamp"],
                          orderBy: "TimeStamp desc", top: 1)
            return ODataModeRecord(mode: .binaryCompare, probedAt: at, evidence: "\(entitySet): TimeStamp gt and $orderby=TimeStamp answered")
        } catch let e as HTTPStatusError where e.status == 400 {
            return ODataModeRecord(mode: .keyed, probedAt: at, evidence: "\(entitySet): TimeStamp gt or $orderby=TimeStamp refused (HTTP 400): \(ODataClient.errorMessage(e.body))")
        }
    }

    /// OData's `{"error":{"code":..,"message":..}}`, or the body as it came.
    static func errorMessage(_ body: String) -> String {
        guard let j = try? JSONValue.parse(Array(body.utf8)), let m = j["error"]?["message"]?.string else { return body }
        return m
    }
}
