import ConnectorKit

/// Which OAuth scope guards a ShipBob call (docs/vendors/shipbob.md, "Token scopes"). The
/// spec names the scopes but ties none to an operation, so a call needs the one named for
/// its resource: `_read` to GET, `_write` for anything else. A resource without a scope
/// name here (none the connector calls) is left unguarded.
enum ShipBobScopes {
    /// The scopes the sandbox's token and OAuth app hold until a test narrows them.
    static let granted = ["orders_read", "orders_write", "products_read", "products_write", "inventory_read",
                          "receiving_read", "receiving_write", "webhooks_read", "webhooks_write", "fulfillments_read",
                          "channels_read", "locations_read"]

    /// The resource family each first path segment (below the version) belongs to.
    private static let families: [String: String] = [
        "channel": "channels", "order": "orders", "shipment": "orders", "product": "products",
        "inventory": "inventory", "inventory-level": "inventory", "receiving": "receiving",
        "receiving:setExternalSync": "receiving", "webhook": "webhooks", "location": "locations", "return": "returns",
    ]

    /// The scopes a call needs; `/fulfillment-center` as the switch says.
    static func required(method: String, resource: String, _ switches: ShipBobSwitches) -> [String] {
        if resource == ShipBobAPI.fulfillmentCenterPath {
            switch switches.fulfillmentCenterScope {
            case .receivingRead: return ["receiving_read"]
            case .locationsRead: return ["locations_read"]
            case .both: return ["receiving_read", "locations_read"]
            }
        }
        return families[resource].map { [$0 + (method == "GET" ? "_read" : "_write")] } ?? []
    }

    /// 403 as ProblemDetails, the body the spec gives the 403s that have one (the title and
    /// type are RFC 9110's; the detail wording is the sandbox's own).
    static func forbidden(_ scope: String) -> Reply {
        var reply = Reply.json(["type": "https://tools.ietf.org/html/rfc9110#section-15.5.4", "title": "Forbidden", "status": 403,
                                "detail": .string("The access token does not grant the \(scope) scope.")], status: 403)
        reply.headers = [("content-type", "application/problem+json; charset=utf-8")]
        return reply
    }
}
