/// Verifies (and, for the sandbox, produces) Standard Webhooks signatures, the scheme
/// ShipBob signs with today (docs/vendors/shipbob.md, "Standard Webhooks signing"). The signed content is `id.timestamp.body` over the raw
/// body bytes; the key is the base64 part of a `whsec_` secret; the header may carry
/// several space-separated `v1,<base64>` signatures during key rotation.
public struct StandardWebhooks: Sendable {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case badSecret
        case missingHeader(String)
        case malformedTimestamp
        case timestampTooOld
        case timestampTooNew
        case noMatchingSignature

        public var description: String {
            switch self {
            case .badSecret: return "webhook secret is not a whsec_ base64 secret"
            case .missingHeader(let h): return "missing header \(h)"
            case .malformedTimestamp: return "webhook-timestamp is not a Unix time in seconds"
            case .timestampTooOld: return "webhook-timestamp is older than the tolerance"
            case .timestampTooNew: return "webhook-timestamp is further ahead than the tolerance"
            case .noMatchingSignature: return "no v1 signature matches"
            }
        }
        /// 400 for a request that is not a webhook at all, 401 for one that fails auth.
        public var httpStatus: Int {
            switch self {
            case .missingHeader, .malformedTimestamp: return 400
            case .badSecret: return 500
            default: return 401
            }
        }
    }

    public let key: [UInt8]
    public let tolerance: Int64

    public init(secret: String, tolerance: Int64 = 300) throws {
        let b64 = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Base64.decode(b64), !key.isEmpty else { throw Failure.badSecret }
        self.key = key
        self.tolerance = tolerance
    }

    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Base64.encode(Crypto.hmacSHA256(key: key, message: content))
    }

    /// Throws the first reason the delivery must be refused; returns if it is authentic.
    public func verify(id: String?, timestamp: String?, signature header: String?, body: [UInt8], now: Int64) throws {
        guard let id, !id.isEmpty else { throw Failure.missingHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw Failure.missingHeader("webhook-timestamp") }
        guard let header, !header.isEmpty else { throw Failure.missingHeader("webhook-signature") }
        guard timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let ts = Int64(timestamp) else {
            throw Failure.malformedTimestamp
        }
        if now - ts > tolerance { throw Failure.timestampTooOld }
        if ts - now > tolerance { throw Failure.timestampTooNew }
        let expected = Array(signature(id: id, timestamp: ts, body: body).utf8.dropFirst(3))
        for entry in header.split(separator: " ") {
            guard entry.hasPrefix("v1,") else { continue }
            if Crypto.constantTimeEqual(Array(entry.utf8.dropFirst(3)), expected) { return }
        }
        throw Failure.noMatchingSignature
    }
}
