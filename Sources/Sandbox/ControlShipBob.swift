import ConnectorKit
import WebhookCore

/// `POST /_control/shipbob/scopes` `{"scopes": [...]}`: the scopes the merchant grants the
/// token and the OAuth app from now on (a missing one for probe tests); calls needing any
/// other are refused with 403, and new token answers and the token's channel list only these.
extension Control {
    func shipBobScopesRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World) throws -> Reply? {
        guard req.method == "POST", p == ["shipbob", "scopes"] else { return nil }
        guard let scopes = (try body(req))["scopes"]?.array?.compactMap(\.string) else {
            throw ControlError("scopes needs {\"scopes\": [...]}")
        }
        w.auth.granted = scopes
        return .json(["scopes": .array(scopes.map(JSONValue.string))])
    }
}
