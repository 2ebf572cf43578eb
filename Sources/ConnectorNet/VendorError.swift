import ConnectorKit
import ConnectorNet

/// What a vendor refused or answered unreadably, naming the vendor, the call and (for the
/// vendors whose URL tells where it went) the redacted URL. One shape and one exit-status
/// rule for every vendor, so the same failure ends every job the same way.
public struct VendorError: ConnectorError {
    public enum Vendor: String, Sendable, Equatable {
        case syspro = "SYSPRO", shipbob = "ShipBob", hubspot = "HubSpot", twilio = "Twilio"
    }

    public enum Kind: Sendable, Equatable {
        /// Credentials refused (operator, password, token, key): a person must fix config or
        /// secrets; no retry helps. Exit 78.
        case authRejected
        /// A session refused again right after a fresh one was made: the vendor is not
        /// serving us now. Exit 69.
        case sessionRejected
        /// The vendor refused the data sent (a business object's `ERROR: ...`). Exit 65.
        case refused
        /// An answer that is not what the call returns. Exit 65.
        case badAnswer
    }

    public let vendor: Vendor
    public let kind: Kind
    /// e.g. `Logon`, `Transaction/Post SORTOI`, `OData SorMaster`, `batch/upsert companies`.
    public let operation: String
    /// Redacted: query values (passwords, session ids) removed; nil where it says nothing more.
    public let url: String?
    public let message: String

    public init(_ vendor: Vendor, _ kind: Kind, operation: String, url: String? = nil, message: String) {
        self.vendor = vendor; self.kind = kind; self.operation = operation; self.url = url; self.message = message
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .authRejected: return .config
        case .sessionRejected: return .unavailable
        case .refused, .badAnswer: return .dataError
        }
    }

    public var description: String { "\(vendor.rawValue) \(operation)\(url.map { " at \($0)" } ?? ""): \(message)" }
}
