import ConnectorKit
import Foundation
import WebhookCore

/// Property values as HubSpot takes them: JSON strings, numbers or booleans, kept as
/// strings; an empty string clears a value; unknown and read-only properties are
/// refused ("Read-only and non-existent properties will result in an error. Properties
/// values can be cleared by passing an empty string": developers.hubspot.com/docs/
/// api-reference/latest/crm/objects/contacts/batch/update-contacts).
enum HubSpotValues {
    static func check(_ type: String, _ input: [String: JSONValue], _ defs: [String: HubSpotProperty]) -> Result<[String: String], HubSpotError> {
        var out: [String: String] = [:]
        var problems: [PropertyProblem] = []
        for (name, raw) in input.sorted(by: { $0.key < $1.key }) {
            guard let def = defs[name] else {
                problems.append(.init(name: name, code: "PROPERTY_DOESNT_EXIST", message: "Property \"\(name)\" does not exist"))
                continue
            }
            if def.readOnlyValue {
                problems.append(.init(name: name, code: "READ_ONLY_VALUE", message: "\"\(name)\" is a read only property; its value cannot be set."))
                continue
            }
            let text: String
            switch raw {
            case .bool(let b): text = b ? "true" : "false"
            case .null: text = ""
            default:
                guard let s = raw.string else {
                    problems.append(.init(name: name, code: "INVALID_PROPERTY_VALUE", message: "\(name) must be a string, number or boolean"))
                    continue
                }
                text = s
            }
            if text.isEmpty { out[name] = ""; continue }
            switch normalize(text, def, isEmail: type == "contacts" && name == "email") {
            case .success(let v): out[name] = v
            case .failure(let p): problems.append(p)
            }
        }
        return problems.isEmpty ? .success(out) : .failure(PropertyProblem.error(problems))
    }

    /// Dates: `YYYY-MM-DD` or midnight UTC in epoch milliseconds; datetimes: ISO 8601 or
    /// epoch milliseconds (developers.hubspot.com/docs/api-reference/latest/crm/properties/guide,
    /// "Date and datetime properties"). Both are answered as ISO text.
    private static func normalize(_ v: String, _ def: HubSpotProperty, isEmail: Bool) -> Result<String, PropertyProblem> {
        let bad = { (code: String, message: String) in Result<String, PropertyProblem>.failure(.init(name: def.name, code: code, message: message)) }
        if isEmail {
            let ok = v.range(of: #"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"#, options: .regularExpression) != nil
            return ok ? .success(v) : bad("INVALID_EMAIL", "Email address \(v) is invalid")
        }
        switch def.type {
        case .string: return .success(v)
        case .number:
            guard let d = Double(v), d.isFinite else { return bad("INVALID_DECIMAL", "\(v) is not a valid number") }
            return .success(format(d))
        case .bool:
            guard ["true", "false"].contains(v.lowercased()) else { return bad("INVALID_BOOLEAN", "\(v) is not a valid boolean; use true or false") }
            return .success(v.lowercased())
        case .enumeration:
            guard def.options.contains(v) else {
                return bad("INVALID_OPTION", "\(v) was not one of the allowed options: [\(def.options.joined(separator: ", "))]")
            }
            return .success(v)
        case .date:
            if let ms = Int64(v) {
                guard ms % 86_400_000 == 0 else { return bad("INVALID_DATE", "\(v) is at \(ms % 86_400_000) ms past midnight; a date must be midnight UTC") }
                return .success(String(SandboxClock.iso(Double(ms) / 1000).prefix(10)))
            }
            guard v.count == 10, Timestamp.parse(v + "T00:00:00Z") != nil else { return bad("INVALID_DATE", "\(v) is not a valid date (YYYY-MM-DD)") }
            return .success(v)
        case .datetime:
            if let ms = Int64(v) { return .success(SandboxClock.iso(Double(ms) / 1000)) }
            guard let d = Timestamp.parse(v) else { return bad("INVALID_DATETIME", "\(v) is not a valid datetime") }
            return .success(SandboxClock.iso(d.timeIntervalSince1970))
        }
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// A line item's `amount` (read only): quantity x (price - discount).
    static func lineAmount(_ p: [String: String]) -> String {
        let q = Double(p["quantity"] ?? "") ?? 1, price = Double(p["price"] ?? "") ?? 0, discount = Double(p["discount"] ?? "") ?? 0
        return format(((q * (price - discount)) * 100).rounded() / 100)
    }
}
