/// Columns for a person: each as wide as its widest cell, the last one not padded (it
/// holds the free text: a reason, an action).
struct TextTable {
    let header: [String]
    var rows: [[String]] = []

    init(header: [String]) { self.header = header }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    var rendered: String {
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ").trimmingSuffix(" ")
        }
        return ([header] + rows).map(line).joined(separator: "\n") + "\n"
    }
}

private extension String {
    func trimmingSuffix(_ c: Character) -> String {
        var s = self
        while s.last == c { s.removeLast() }
        return s
    }
}
