import ConnectorKit

/// `shipbob-to-syspro --reconcile` (config `reconcile`).
public struct ReconcileSettings: Codable, Sendable, Equatable {
    /// How far below its cursor each run re-reads ShipBob orders: an order updated just
    /// before the previous run's ceiling may only become visible after it.
    public var overlapMinutes: Int = 120

    enum CodingKeys: String, CodingKey, CaseIterable { case overlapMinutes = "overlap_minutes" }

    public init() {}
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        overlapMinutes = try c.decodeIfPresent(Int.self, forKey: .overlapMinutes) ?? overlapMinutes
    }
}
