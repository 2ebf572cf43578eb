import ConnectorKit

/// What tests assert on to prove what the connector called (and how often). Control
/// requests are not recorded: they are the test harness, not traffic under test.
struct RequestLogEntry: Sendable {
    let ts: Double
    let service: String
    let method: String
    let path: String
    let query: String
    let status: Int

    var json: JSONValue {
        [
            "ts": .string(SandboxClock.iso(ts)), "service": .string(service), "method": .string(method),
            "path": .string(path), "query": .string(query), "status": .int(status),
        ]
    }
}
