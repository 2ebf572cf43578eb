import ConnectorKit
import Foundation
import WebhookCore

/// `/_control/twilio/...`: what tests and `bench/alerts` read and set up.
/// - `GET messages`: every message with its status history and callback deliveries;
/// - `POST messages/{sid}/status` `{"status": "delivered", "error_code": 30003}`: move a
///   message on (through the statuses between) and post its callbacks;
/// - `POST numbers` `{"opted_out": [...], "landlines": [...], "unreachable": [...],
///   "enabled_prefixes": ["+1"], "sms_incapable": [...]}`: each list given replaces that set
///   (`sms_incapable`: the account's own numbers that cannot send SMS);
/// - `POST callbacks` `{"out_of_order": true, "duplicate": true, "signing": "shared-key-sha256",
///   "signed_url_port": "toggled"}`: how callbacks misbehave and are signed (each key optional);
/// - `GET counts` (`DELETE counts` zeroes them): calls per kind, 429s, messages;
/// - `POST generate` `{"purchase_orders": M, "transitions": N}`: SYSPRO purchase orders
///   and status transitions for the benchmark (SeedPurchasing.swift).
extension Control {
    func twilioRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply? {
        guard p.first == "twilio" else { return nil }
        switch (req.method, Array(p.dropFirst())) {
        case ("GET", ["messages"]):
            return .json(.array(w.twilio.messages.map(ControlTwilio.json)))
        case ("POST", let path) where path.count == 3 && path[0] == "messages" && path[2] == "status":
            let j = try body(req)
            guard let status = j["status"]?.string else { throw ControlError("status needs \"status\"") }
            let code = j["error_code"]?.int64.map(Int.init)
            let steps = try w.twilio.advance(path[1], to: status, errorCode: code, now: now, stepSeconds: state.options.twilioStatusStep)
            TwilioCallbacks.post(TwilioCallbacks.jobs([(path[1], steps)], w.twilio, state.options), state)
            return .json(ControlTwilio.json(w.twilio.message(path[1])!))
        case ("POST", ["numbers"]):
            let j = try body(req)
            func list(_ key: String) -> [String]? { j[key]?.array?.compactMap(\.string) }
            if let l = list("opted_out") { w.twilio.optedOut = Set(l) }
            if let l = list("landlines") { w.twilio.landlines = Set(l) }
            if let l = list("unreachable") { w.twilio.unreachable = Set(l) }
            if let l = list("enabled_prefixes") { w.twilio.enabledPrefixes = l }
            if let l = list("sms_incapable") { w.twilio.smsIncapable = Set(l) }
            let s = w.twilio
            return .json([
                "opted_out": .array(s.optedOut.sorted().map(JSONValue.string)),
                "landlines": .array(s.landlines.sorted().map(JSONValue.string)),
                "unreachable": .array(s.unreachable.sorted().map(JSONValue.string)),
                "enabled_prefixes": .array(s.enabledPrefixes.map(JSONValue.string)),
                "sms_incapable": .array(s.smsIncapable.sorted().map(JSONValue.string)),
            ])
        case ("POST", ["callbacks"]):
            let j = try body(req)
            if case .bool(let b)? = j["out_of_order"] { w.twilio.callbacksOutOfOrder = b }
            if case .bool(let b)? = j["duplicate"] { w.twilio.callbacksDuplicated = b }
            if let s = j["signing"]?.string {
                guard let signing = SandboxOptions.TwilioCallbackSigning(rawValue: s) else {
                    throw ControlError("signing must be one of \(SandboxOptions.TwilioCallbackSigning.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                w.twilio.callbackSigning = signing
            }
            if let s = j["signed_url_port"]?.string {
                guard let port = SandboxOptions.TwilioSignedURLPort(rawValue: s) else {
                    throw ControlError("signed_url_port must be one of \(SandboxOptions.TwilioSignedURLPort.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                w.twilio.signedURLPort = port
            }
            return .json(["out_of_order": .bool(w.twilio.callbacksOutOfOrder), "duplicate": .bool(w.twilio.callbacksDuplicated),
                          "signing": .string((w.twilio.callbackSigning ?? state.options.twilioCallbackSigning).rawValue),
                          "signed_url_port": .string((w.twilio.signedURLPort ?? state.options.twilioSignedURLPort).rawValue)])
        case ("GET", ["counts"]):
            let calls = w.twilio.calls
            return .json([
                "calls": .object(calls.mapValues { .int($0) }),
                "create": .int(calls["create"] ?? 0), "fetch": .int(calls["fetch"] ?? 0), "list": .int(calls["list"] ?? 0),
                "rate_limited": .int(calls["rate_limited"] ?? 0), "messages": .int(w.twilio.messages.count),
            ])
        case ("DELETE", ["counts"]):
            w.twilio.calls = [:]
            return .json(["calls": [:]])
        case ("POST", ["generate"]):
            let j = try body(req)
            let orders = Int(j["purchase_orders"]?.int64 ?? 0), transitions = Int(j["transitions"]?.int64 ?? 0)
            guard orders >= 0, transitions >= 0, orders + transitions > 0 else {
                throw ControlError("generate needs \"purchase_orders\" and/or \"transitions\" > 0")
            }
            if orders > 0 { SeedData.generatePurchaseOrders(orders, db: &w.syspro) }
            let made = SeedData.generateTransitions(transitions, db: &w.syspro)
            return .json(["purchase_orders": .int(orders), "transitions": .int(made)], status: 201)
        default:
            return .json(["error": .string("unknown control endpoint \(req.method) \(req.path)")], status: 404)
        }
    }
}

enum ControlTwilio {
    /// The message as the API shows it, plus `history` and `callbacks` for assertions.
    static func json(_ m: TwilioMessage) -> JSONValue {
        var j = m.json
        j[set: "status_callback"] = .str(m.statusCallback)
        j[set: "history"] = .array(m.history.map { s in
            ["status": .string(s.status), "at": .string(SandboxClock.iso(s.at)), "error_code": s.errorCode.map { .int($0) } ?? .null]
        })
        j[set: "callbacks"] = .array(m.callbacks.map { d in
            ["status": .string(d.status), "at": .string(SandboxClock.iso(d.at)),
             "http_status": d.httpStatus.map { .int($0) } ?? .null, "error": .str(d.error)]
        })
        return j
    }
}
