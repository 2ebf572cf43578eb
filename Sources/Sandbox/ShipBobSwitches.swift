import ConnectorKit
import WebhookCore

/// How the simulated ShipBob answers where the public evidence allows more than one reading
/// (docs/vendors/shipbob.md, the "Sandbox:" lines). Each default is the reading hardest on a
/// client; `ml-sandbox serve` sets them, `POST /_control/shipbob/settings` changes them while
/// running (they outlive `POST /_control/reset`, as the serve options do).
public struct ShipBobSwitches: Sendable, Equatable {
    /// `GET /channel`: the documented `{items, next, prev}` page, or a bare array.
    public enum ChannelShape: String, Sendable, CaseIterable {
        case page, array
    }

    /// Which paging headers `GET /order` and `GET /receiving` send: none (a client must read
    /// until an empty page), `next-page` only, `total-pages` with `page-number`, or all of them.
    public enum PagingHeaders: String, Sendable, CaseIterable {
        case none, nextPage = "next-page", totalPages = "total-pages", all
    }

    /// Which scope `GET /fulfillment-center` needs (docs/vendors/shipbob.md, "Token scopes":
    /// the spec ties none to it): the receiving API's it is listed under, `locations_read`, or both.
    public enum FulfillmentCenterScope: String, Sendable, CaseIterable {
        case receivingRead = "receiving_read", locationsRead = "locations_read", both
    }

    public var channelShape: ChannelShape
    public var pagingHeaders: PagingHeaders
    public var fulfillmentCenterScope: FulfillmentCenterScope

    public init(channelShape: ChannelShape = .page, pagingHeaders: PagingHeaders = .none, fulfillmentCenterScope: FulfillmentCenterScope = .both) {
        self.channelShape = channelShape; self.pagingHeaders = pagingHeaders; self.fulfillmentCenterScope = fulfillmentCenterScope
    }

    var json: JSONValue {
        ["channel_shape": .string(channelShape.rawValue), "paging_headers": .string(pagingHeaders.rawValue),
         "fulfillment_center_scope": .string(fulfillmentCenterScope.rawValue)]
    }

    /// The settings a control body names; the others stay.
    mutating func apply(_ body: JSONValue) throws {
        func value<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws -> E? where E.RawValue == String {
            guard let text = body[key]?.string else { return nil }
            guard let v = E(rawValue: text) else {
                throw ControlError("\(key) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return v
        }
        if let v = try value("channel_shape", ChannelShape.self) { channelShape = v }
        if let v = try value("paging_headers", PagingHeaders.self) { pagingHeaders = v }
        if let v = try value("fulfillment_center_scope", FulfillmentCenterScope.self) { fulfillmentCenterScope = v }
    }
}

extension Control {
    /// `GET|POST /_control/shipbob/settings`: the ShipBob switches, read or changed.
    func shipBobSettingsRoute(_ req: SandboxRequest, _ p: [String]) throws -> Reply? {
        guard p == ["shipbob", "settings"] else { return nil }
        switch req.method {
        case "GET": return .json(state.shipBobSwitches.withLock { $0.json })
        case "POST":
            let b = try body(req)
            return .json(try state.shipBobSwitches.withLock { s in try s.apply(b); return s.json })
        default: return nil
        }
    }
}
