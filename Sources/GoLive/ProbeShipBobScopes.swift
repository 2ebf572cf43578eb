import ConnectorNet
import ShipBob

extension TenantProbe {
    /// The scopes every job needs against what the token holds: the OAuth token answer's
    /// `scope`, else the scopes of the token's own channel (`shipbob.channel_id`), which
    /// ShipBob lists for a Personal Access Token too (docs/vendors/shipbob.md, "Token scopes").
    func shipBobScopes() throws -> ProbeResult {
        let name = "token scopes"
        let granted: Set<String>, source: String
        if let answered = try clients.shipbob.auth.grantedScopes() {
            (granted, source) = (Set(answered), "the OAuth token answer")
        } else {
            let channels: [ShipBobChannel]
            do { channels = try clients.shipbob.channels() } catch let e as HTTPStatusError where e.status == 403 {
                return ProbeResult(system: "ShipBob", check: name, outcome: .differs,
                                   detail: "GET /channel is refused (HTTP 403): the token lacks channels_read (\(ShipBobFacts.jobs(needing: "channels_read")))",
                                   change: scopeChange)
            }
            guard let id = config.shipbob.channelID else {
                return ProbeResult(system: "ShipBob", check: name, outcome: .cannotCheck,
                                   detail: "shipbob.channel_id is not set, so the token's own channel (which lists its scopes) cannot be told from the \(channels.count) others")
            }
            guard let channel = channels.first(where: { $0.id == id }) else {
                return ProbeResult(system: "ShipBob", check: name, outcome: .differs,
                                   detail: "shipbob.channel_id \(id) is not among the \(channels.count) channel(s) the token sees",
                                   change: "shipbob.channel_id (ml-connector discover lists the channels)")
            }
            guard let scopes = channel.scopes else {
                return ProbeResult(system: "ShipBob", check: name, outcome: .cannotCheck, detail: "channel \(id) lists no scopes")
            }
            (granted, source) = (Set(scopes), "channel \(id)")
        }
        let needed = Set(ShipBobFacts.jobScopes.flatMap(\.scopes))
        let lacking = needed.subtracting(granted).sorted()
        guard !lacking.isEmpty else { return ok("ShipBob", name, "all \(needed.count) the jobs need are granted (per \(source))") }
        let missing = lacking.map { "\($0) (\(ShipBobFacts.jobs(needing: $0)))" }
        return ProbeResult(system: "ShipBob", check: name, outcome: .differs,
                           detail: "per \(source) the token lacks \(missing.joined(separator: "; "))",
                           change: scopeChange)
    }

    private var scopeChange: String {
        config.shipbob.auth == .oauth ? "add those scopes to the OAuth app in ShipBob, then authorize again (ml-connector oauth shipbob)"
            : "generate a Personal Access Token with those scopes in ShipBob (Integrations > API Tokens) and store it (secret shipbob_pat)"
    }
}
