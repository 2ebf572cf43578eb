import Foundation
import XCTest

/// A metrics file as Prometheus reads it. The syntax and values come from the reference
/// client library's parser (python3-prometheus-client, installed by scripts/install-deps);
/// what that parser tolerates but node_exporter refuses (a family's HELP and TYPE after its
/// samples or twice, the same series twice) is checked here first.
struct Exposition {
    struct Sample: Decodable {
        var family: String
        var type: String
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    static let parser = """
    import json, sys
    from prometheus_client.parser import text_string_to_metric_families
    out = []
    for f in text_string_to_metric_families(sys.stdin.read()):
        for s in f.samples:
            out.append({"family": f.name, "type": f.type, "name": s.name, "labels": s.labels, "value": s.value})
    print(json.dumps(out))
    """

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Exposition.checkStructure(text, path: path)
        let r = try runProgram("/usr/bin/python3", ["-c", Exposition.parser], stdin: text)
        guard r.status == 0 else {
            throw NSError(domain: "Exposition", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "\(path): prometheus_client refused it: \(r.stderr)"])
        }
        samples = try JSONDecoder().decode([Sample].self, from: Data(r.stdout.utf8))
    }

    static func checkStructure(_ text: String, path: String) throws {
        func fail(_ line: Int, _ why: String) -> NSError {
            NSError(domain: "Exposition", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path):\(line): \(why)"])
        }
        guard text.hasSuffix("\n") else { throw fail(0, "does not end with a newline") }
        var declared = Set<String>(), series = Set<String>()
        var current: (name: String, help: Bool, type: Bool)?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            if line.hasPrefix("# HELP ") {
                guard parts.count == 4, !declared.contains(parts[2]) else { throw fail(i + 1, "HELP without text, or a family declared twice") }
                declared.insert(parts[2])
                current = (parts[2], true, false)
            } else if line.hasPrefix("# TYPE ") {
                guard let c = current, parts.count == 4, parts[2] == c.name, !c.type, ["gauge", "counter"].contains(parts[3]) else {
                    throw fail(i + 1, "TYPE must follow its family's HELP once, as gauge or counter")
                }
                current?.type = true
            } else {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                guard let c = current, c.type, name == c.name else { throw fail(i + 1, "sample of \(name) outside its family's block") }
                guard series.insert(String(line[..<(line.lastIndex(of: " ") ?? line.endIndex)])).inserted else {
                    throw fail(i + 1, "the same series twice")
                }
            }
        }
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }
        return matching.count == 1 ? matching[0].value : nil
    }

    var families: [String: String] {
        Dictionary(samples.map { ($0.family, $0.type) }, uniquingKeysWith: { a, _ in a })
    }
}
