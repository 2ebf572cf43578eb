import ConnectorKit
import WebhookCore

// ShipBob payloads are built and edited as JSONValue trees (their shape is only known
// from samples, seed file 003); literals keep the seed data readable.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }
    static func str(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// Replaces or adds one key of an object (no-op on non-objects).
    subscript(set key: String) -> JSONValue? {
        get { self[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Deep merge: keys of `patch` win, nested objects merge, arrays are replaced.
    func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let p) = patch else { return patch }
        for (k, v) in p { base[k] = base[k].map { $0.merging(v) } ?? v }
        return .object(base)
    }
}
