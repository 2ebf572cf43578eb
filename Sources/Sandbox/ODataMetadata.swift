import ConnectorKit

/// The CSDL document of `$metadata`, generated from the tables so it never drifts from
/// what the entity sets return.
enum ODataMetadata {
    static func csdl(_ tables: [Table]) -> String {
        var x = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        x += #"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">"# + "\n<edmx:DataServices>\n"
        x += #"<Schema Namespace="SYSPRO" xmlns="http://docs.oasis-open.org/odata/ns/edm">"# + "\n"
        for t in tables {
            x += "<EntityType Name=\"\(t.name)\">\n<Key>\n"
            for k in t.key { x += "<PropertyRef Name=\"\(k)\"/>\n" }
            x += "</Key>\n"
            for c in t.columns {
                let nullable = t.key.contains(c.name) || c.name == "TimeStamp" ? " Nullable=\"false\"" : ""
                let precision = c.type == .decimal ? " Precision=\"18\" Scale=\"6\"" : ""
                x += "<Property Name=\"\(c.name)\" Type=\"\(c.type.rawValue)\"\(nullable)\(precision)/>\n"
            }
            x += "</EntityType>\n"
        }
        x += "<EntityContainer Name=\"Container\">\n"
        for t in tables { x += "<EntitySet Name=\"\(t.name)\" EntityType=\"SYSPRO.\(t.name)\"/>\n" }
        x += "</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n"
        return x
    }
}
