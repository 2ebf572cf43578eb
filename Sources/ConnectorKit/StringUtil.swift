extension String {
    /// Without leading and trailing whitespace (stdlib only: no ICU in webhook-cgi).
    public var trimmed: String {
        let ws: (Character) -> Bool = { $0.isWhitespace }
        guard let a = firstIndex(where: { !ws($0) }), let b = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[a...b])
    }
}

extension String {
    /// nil for "", so an empty column reads as absent.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
