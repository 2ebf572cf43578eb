import ConnectorKit
import WebhookCore

/// What tests assert on to prove what the connector called (and how often). Control
/// requests are not recorded: they are the test harness, not traffic under test.
struct RequestLogEntry: Sendable {
    let ts: Double
    let service: String
    let method: String
    let path: String
    let query: String
    let status: Int
    /// Answered from a recording (`Fixtures`), not by the simulator.
    var fixture = false
    /// The `shipbob_channel_id` header as sent: tests prove where the client sends it.
    var shipbobChannel: String? = nil

    var json: JSONValue {
        var j: JSONValue = [
            "ts": .string(SandboxClock.iso(ts)), "service": .string(service), "method": .string(method),
            "path": .string(path), "query": .string(query), "status": .int(status),
        ]
        if fixture { j[set: "fixture"] = .bool(true) }
        if let shipbobChannel { j[set: "shipbob_channel_id"] = .string(shipbobChannel) }
        return j
    }
}
