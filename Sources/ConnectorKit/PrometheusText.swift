/// The Prometheus text exposition format (version 0.0.4), which node_exporter's textfile
/// collector reads: each family's HELP and TYPE once, then all its samples; HELP text and
/// label values escaped as the format requires.
public struct PrometheusText {
    public enum Kind: String { case gauge, counter }
    public typealias Sample = (labels: [(String, String)], value: Double)

    public private(set) var text = ""

    public init() {}

    public mutating func family(_ name: String, _ kind: Kind, help: String, _ samples: [Sample]) {
        text += "# HELP \(name) \(Self.escape(help, quotes: false))\n# TYPE \(name) \(kind.rawValue)\n"
        for s in samples {
            let labels = s.labels.map { "\($0.0)=\"\(Self.escape($0.1, quotes: true))\"" }.joined(separator: ",")
            text += "\(name){\(labels)} \(s.value.plainText)\n"
        }
    }

    static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
