import ConnectorKit
import ConnectorNet

/// A ShipBob fulfillment center: the `location` ids that `mappings.location_warehouses` maps.
public struct ShipBobFulfillmentCenter: Sendable, Equatable {
    public let id: Int64
    public let name: String
}

extension ShipBobClient {
    /// `GET /fulfillment-center`: a bare JSON array of `{id, name, timezone, address...}`
    /// (docs/vendors/shipbob.md, "Fulfillment centers").
    public func fulfillmentCenters() throws -> [ShipBobFulfillmentCenter] {
        let (request, response) = try get(URLEncoding.join(settings.apiURL, "fulfillment-center"))
        guard let list = try json(request, response, operation: "fulfillment centers").array else {
            throw VendorError(.shipbob, .badAnswer, operation: "fulfillment centers", url: request.redactedURL, message: "answer is not a JSON array")
        }
        return try list.map { c in
            guard let id = c["id"]?.int64 else {
                throw VendorError(.shipbob, .badAnswer, operation: "fulfillment centers", url: request.redactedURL, message: "a fulfillment center has no numeric id")
            }
            return ShipBobFulfillmentCenter(id: id, name: c["name"]?.string ?? "")
        }
    }
}
