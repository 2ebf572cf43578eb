import ConnectorKit
import ConnectorConfig

/// What happens in SYSPRO to a ShipBob order after its import (config `orders`): how
/// SORTOI treats warnings, and which documented business-object path a shipment takes
/// (docs/vendors/syspro.md, "Shipped orders relieve stock through dispatch notes").
public struct OrdersSettings: ConfigSection {
    public static let key = "orders"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: OrdersSettings? = OrdersSettings()

    /// What a shipped shipment becomes: a dispatch note (SORTDN) only, or a dispatch note
    /// and then its invoice (SORTNC).
    public enum OnShipped: String, Codable, Sendable, CaseIterable {
        case dispatch
        case dispatchAndInvoice = "dispatch_and_invoice"
    }

    public var onShipped: OnShipped = .dispatch
    /// SORTOI/SORTDN/SORTNC/SORTOX `IgnoreWarnings`: `W` returns warnings as warnings (the
    /// live SYSPRO 8 integration's choice; the connector audits them), `N` makes them
    /// errors, `Y` drops them (docs/vendors/syspro.md, "SORTOI IgnoreWarnings").
    public var ignoreWarnings: String = "W"
    /// SORTOX `CancelReasonCode`, needed where SYSPRO keeps analysis details of cancelled
    /// lines (docs/vendors/syspro.md, "Cancelled orders go through SORTOX").
    public var cancelReasonCode: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case onShipped = "on_shipped", ignoreWarnings = "ignore_warnings", cancelReasonCode = "cancel_reason_code"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        onShipped = try c.decodeIfPresent(OnShipped.self, forKey: .onShipped) ?? onShipped
        ignoreWarnings = try c.decodeIfPresent(String.self, forKey: .ignoreWarnings) ?? ignoreWarnings
        cancelReasonCode = try c.decodeIfPresent(String.self, forKey: .cancelReasonCode)
    }

    public func validate(file: String, config: TenantConfig) throws {
        guard ["W", "N", "Y"].contains(ignoreWarnings) else {
            throw ConfigError(file: file, key: "orders.ignore_warnings", problem: "expected W (warnings reported), N (warnings are errors) or Y, found \"\(ignoreWarnings)\"")
        }
        if let code = cancelReasonCode, code.isEmpty || code.count > 6 {
            throw ConfigError(file: file, key: "orders.cancel_reason_code", problem: "expected a SYSPRO cancel reason code of 1 to 6 characters")
        }
    }
}

extension TenantConfig {
    public var orders: OrdersSettings {
        get { self[OrdersSettings.self] }
        set { self[OrdersSettings.self] = newValue }
    }
}
