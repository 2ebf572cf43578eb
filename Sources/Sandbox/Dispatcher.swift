import ConnectorKit
import Foundation

/// Routes a request to its simulator and wraps every call with what all of them share:
/// fault injection and the request log.
struct Dispatcher: Sendable {
    let state: SandboxState

    static func service(of path: String) -> String? {
        if path.hasPrefix("/_control/") { return "control" }
        if path == "/syspro/odata" || path.hasPrefix("/syspro/odata/") { return "odata" }
        if path.lowercased().hasPrefix(SysproRest.prefix.lowercased()) { return "syspro" }
        if path.hasPrefix("/shipbob/") { return "shipbob" }
        if path.hasPrefix(HubSpotAPI.prefix + "/") { return "hubspot" }
        if path.hasPrefix(TwilioAPI.prefix + "/") || path.hasPrefix(TwilioNumbers.messagingPrefix + "/") { return "twilio" }
        return nil
    }

    func handle(_ req: SandboxRequest) async -> Reply {
        guard let service = Dispatcher.service(of: req.path) else {
            return .text("Not found", status: 404)
        }
        if service == "control" { return Control(state: state).handle(req) }

        let reply: Reply
        let recorded = state.fixtures.take(service: service, req)
        if let recorded {
            reply = recorded
        // Twilio's concurrency limit counts a request from arrival to answer, injected
        // delays included, and refuses the excess before anything else happens.
        } else if service == "twilio", let refused = TwilioAPI(state: state).enter(req) {
            reply = refused
        } else {
            reply = await faulted(service, req)
            if service == "twilio" { TwilioAPI(state: state).leave(req) }
        }
        let entry = RequestLogEntry(ts: SandboxClock.now(), service: service, method: req.method, path: req.path,
                                    query: req.rawQuery, status: reply.status, fixture: recorded != nil,
                                    shipbobChannel: req.header("shipbob_channel_id"))
        state.world.withLock { $0.log.append(entry) }
        return reply
    }

    private var hubspotLimits: (perTenSeconds: Int, perDay: Int) {
        (state.options.hubspotTier.perTenSeconds, state.options.hubspotDailyLimit ?? state.options.hubspotTier.perDay)
    }

    private func faulted(_ service: String, _ req: SandboxRequest) async -> Reply {
        let target = req.rawQuery.isEmpty ? req.path : req.path + "?" + req.rawQuery
        let fault = state.world.withLock { w -> Fault? in
            let f = w.faults.take(service: service, target: target)
            if f?.expireSession == true { w.sessions.expireAll() }
            return f
        }
        var reply: Reply
        if let fault, !fault.afterCommit {
            if fault.delayMs > 0 { try? await Task.sleep(for: .milliseconds(fault.delayMs)) }
            reply = fault.reply(service: service, hubspotLimits: hubspotLimits) ?? route(service, req)
        } else {
            reply = route(service, req)
            if let fault {
                if fault.delayMs > 0 { try? await Task.sleep(for: .milliseconds(fault.delayMs)) }
                reply = fault.reply(service: service, hubspotLimits: hubspotLimits) ?? reply
            }
        }
        return reply
    }

    private func route(_ service: String, _ req: SandboxRequest) -> Reply {
        switch service {
        case "odata": return SysproOData(state: state).handle(req)
        case "syspro": return SysproRest(state: state).handle(req)
        case "hubspot": return HubSpotAPI(state: state).handle(req)
        case "twilio" where req.path.hasPrefix(TwilioNumbers.messagingPrefix + "/"): return TwilioNumbers.messaging(req, state)
        case "twilio": return TwilioAPI(state: state).handle(req)
        default: return ShipBobAPI(state: state).handle(req)
        }
    }
}
