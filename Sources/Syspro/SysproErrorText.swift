import ConnectorKit
import ENetXML

/// Business-object validation errors (docs/vendors/syspro.md): the offending element echoed,
/// often lower-cased, holding `<Value>`, `<ErrorNumber>` and `<ErrorDescription>`.
enum SysproErrorText {
    /// `Element 'Value' [ErrorNumber]: ErrorDescription` for every error under `root`.
    static func collect(_ root: XMLElement) -> [String] {
        var errors: [String] = []
        func child(_ e: XMLElement, _ name: String) -> String? {
            guard let t = e.children.first(where: { $0.name.lowercased() == name })?.trimmedText, !t.isEmpty else { return nil }
            return t
        }
        func visit(_ e: XMLElement) {
            if let description = child(e, "errordescription") {
                var text = e.name
                if let v = child(e, "value") { text += " '\(v)'" }
                if let n = child(e, "errornumber") { text += " [\(n)]" }
                errors.append(text + ": " + description)
            }
            e.children.forEach(visit)
        }
        visit(root)
        return errors
    }
}

/// Warnings a business object returned with IgnoreWarnings=W. No public sample shows their
/// shape (docs/vendors/syspro.md, "SORTOI IgnoreWarnings"), so any leaf element whose name
/// says warning and that carries text is one, except the StatusOfItems counters.
enum SysproWarnings {
    static func collect(_ root: XMLElement) -> [String] {
        var warnings: [String] = []
        func visit(_ e: XMLElement) {
            let name = e.name.lowercased()
            if e.children.isEmpty, name.contains("warning"), !name.hasPrefix("items"), !e.trimmedText.isEmpty {
                warnings.append(e.trimmedText)
            }
            e.children.forEach(visit)
        }
        visit(root)
        return warnings
    }
}
