import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One person's edit as the job handled it, keyed `<company id>/<property>/<edit ms>`
/// (`state/hubspot-to-syspro/changes.json`): what makes each edit happen exactly once.
public struct WriteBackRecord: JSONRecord, Equatable {
    public enum Status: String, Sendable {
        /// Sent to SYSPRO, no proof yet of its effect: the next run reads the customer back.
        case posting
        /// SYSPRO holds the value (audited).
        case applied
        /// SYSPRO keeps its own value (audited with the reason).
        case kept
        /// SYSPRO refused the value; parked in outbox/syspro/failed/ for `ml-connector replay`.
        case refused
        /// Left `posting` by a crash, then replaced by a newer edit before its effect was
        /// proven: whether SYSPRO held it for a while is unknown, and the audit says so.
        case superseded
    }

    public var status: Status
    public var customer: String
    public var column: String
    public var value: String
    public var at: Date

    public init(status: Status, customer: String, column: String, value: String, at: Date) {
        self.status = status; self.customer = customer; self.column = column; self.value = value; self.at = at
    }

    public var isFinal: Bool { status != .posting }

    public var jsonBytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("at", Timestamp.iso8601(at))
        w.field("column", column)
        w.field("customer", customer)
        w.field("status", status.rawValue)
        w.field("value", value)
        return w.bytes
    }

    public init(json: JSONValue, source: String) throws {
        guard let s = json["status"]?.string.flatMap(Status.init(rawValue:)), let customer = json["customer"]?.string,
              let column = json["column"]?.string, let value = json["value"]?.string,
              let at = json["at"]?.string.flatMap(Timestamp.parse) else {
            throw DataError(source: source, problem: "a write-back record needs status, customer, column, value and at")
        }
        status = s; self.customer = customer; self.column = column; self.value = value; self.at = at
    }
}
