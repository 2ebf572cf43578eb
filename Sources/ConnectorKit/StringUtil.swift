extension String {
    /// Without leading and trailing whitespace (stdlib only: no ICU in webhook-cgi).
    public var trimmed: String {
        // Nearly every value read has nothing to trim: two byte checks instead of walking
        // Characters (this runs for every field of every row a poll reads).
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        let ws: (Character) -> Bool = { $0.isWhitespace }
        guard let a = firstIndex(where: { !ws($0) }), let b = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[a...b])
    }
}

extension String {
    /// nil for "", so an empty column reads as absent.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
