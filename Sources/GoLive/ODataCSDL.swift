/// The entity types and their property names in an OData `$metadata` (CSDL XML) document:
/// enough to check that what the jobs read exists, without an XML schema reader.
struct ODataCSDL {
    private var types: [String: Set<String>] = [:]
    /// Entity set name -> entity type name (without namespace).
    private var sets: [String: String] = [:]

    init(_ xml: String) {
        var current: String?
        for raw in xml.split(whereSeparator: { $0 == "<" }) {
            let tag = raw.prefix { $0 != ">" }
            if tag.hasPrefix("EntityType ") { current = Self.attribute("Name", in: tag).map { types[$0] = []; return $0 } }
            else if tag.hasPrefix("/EntityType") { current = nil }
            else if tag.hasPrefix("Property "), let t = current, let name = Self.attribute("Name", in: tag) { types[t]?.insert(name) }
            else if tag.hasPrefix("EntitySet "), let name = Self.attribute("Name", in: tag), let type = Self.attribute("EntityType", in: tag) {
                sets[name] = String(type.split(separator: ".").last ?? Substring(type))
            }
        }
    }

    /// The properties of the entity set's type, or nil when the set is not there.
    func properties(of entitySet: String) -> Set<String>? {
        sets[entitySet].flatMap { types[$0] } ?? (sets.isEmpty ? types[entitySet] : nil)
    }

    private static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let r = tag.firstRange(of: name + "=\"") else { return nil }
        let rest = tag[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
