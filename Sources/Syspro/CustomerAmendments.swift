import ConnectorKit
import ConnectorNet
import TimeZones
import WebhookCore

/// When SYSPRO last changed a customer's column, from ArAmendmentJnl (docs/vendors/syspro.md,
/// "Customer changes: the amendment journal"). The journal is kept only where the company
/// chose to keep it, and its columns are known from one public script, so every answer short
/// of a dated row means "unknown", never "unchanged".
public struct CustomerAmendments {
    public let odata: ODataClient
    /// The SYSPRO server's zone (`syspro.time_zone`): JnlDate and JnlTime are its local time.
    public let zone: ZoneInfo
    let logger: Logger

    public init(odata: ODataClient, zone: ZoneInfo, logger: Logger) { self.odata = odata; self.zone = zone; self.logger = logger }

    public struct Key: Hashable, Sendable {
        public let customer: String, column: String
        public init(customer: String, column: String) { self.customer = customer; self.column = column }
    }

    /// The latest journal instant (UTC seconds) per customer and column asked for; `nil`
    /// when the server has no such entity set or refuses the read (the caller then treats
    /// every SYSPRO change time as unknown).
    public func latest(customers: [String], columns: [String]) -> [Key: Double]? {
        let rows: [JSONValue]
        do {
            rows = try odata.fetch(entitySet: SysproFacts.EntitySet.arAmendmentJnl, whereAnyOf: "Customer", in: customers,
                                   select: ["Customer", "JnlDate", "JnlTime", "ColumnName"])
        } catch {
            logger.info("amendment journal not readable; SYSPRO change times unknown", ["error": "\(error)"])
            return nil
        }
        let wanted = Set(columns.map { $0.lowercased() })
        var out: [Key: Double] = [:]
        for r in rows {
            guard let customer = r["Customer"]?.string?.trimmed, let column = r["ColumnName"]?.string?.trimmed,
                  wanted.contains(column.lowercased()), let date = r["JnlDate"]?.string,
                  let time = r["JnlTime"]?.int64 ?? r["JnlTime"]?.string.flatMap({ Int64($0.trimmed) }),
                  let at = zone.instant(localDate: date, time: Int(time)) else { continue }
            let key = Key(customer: customer, column: columns.first { $0.lowercased() == column.lowercased() }!)
            out[key] = max(out[key] ?? at, at)
        }
        return out
    }
}
