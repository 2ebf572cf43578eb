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

extension Double {
    /// `1234.5.fixed(2)` is `1234.50`: printf's `%.2f` for the connector's figures, without
    /// Foundation's `String(format:)` (its ICU costs each job ~18 ms at start-up).
    public func fixed(_ decimals: Int) -> String {
        let scale = (0..<decimals).reduce(1.0) { a, _ in a * 10 }
        let scaled = (abs(self) * scale).rounded()
        guard scaled < 9e15 else { return String(self) } // nan fails this too
        let whole = scaled / scale
        let fraction = String(Int64(scaled) - Int64(whole.rounded(.down)) * Int64(scale))
        let frac = decimals == 0 ? "" : "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        return (self < 0 && scaled > 0 ? "-" : "") + String(Int64(whole.rounded(.down))) + frac
    }
}

extension String {
    /// Left-aligned in `width` columns, as `%-Ns` would print it.
    public func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
