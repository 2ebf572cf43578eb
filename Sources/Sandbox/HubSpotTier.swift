/// The HubSpot subscription the sandbox account stands for, which sets its limits
/// (docs/vendors/hubspot.md "Limits": per 10 s 100 Free/Starter, 190 Professional/Enterprise;
/// per day 250k / 625k / 1M). A bare number sets the 10-second limit (tests use a small one).
public enum HubSpotTier: Sendable, Equatable {
    case free, professional, enterprise
    case custom(perTenSeconds: Int)

    public init?(_ text: String) {
        switch text.lowercased() {
        case "free", "starter": self = .free
        case "professional": self = .professional
        case "enterprise": self = .enterprise
        default:
            guard let n = Int(text), n > 0 else { return nil }
            self = .custom(perTenSeconds: n)
        }
    }

    public var perTenSeconds: Int {
        switch self {
        case .free: return 100
        case .professional, .enterprise: return 190
        case .custom(let n): return n
        }
    }

    public var perDay: Int {
        switch self {
        case .free: return 250_000
        case .professional: return 625_000
        case .enterprise, .custom: return 1_000_000
        }
    }

    /// As `--hubspot-tier` spells it, and as `GET /_control/credentials` lists it.
    public var name: String {
        switch self {
        case .free: return "free"
        case .professional: return "professional"
        case .enterprise: return "enterprise"
        case .custom(let n): return String(n)
        }
    }
}
