extension Double {
    /// Whether the number is whole and a Double holds it exactly (below 2^53): then it is an
    /// id, a count or a quantity, and is written as its digits.
    public var isExactWhole: Bool { self == rounded() && abs(self) < 9_007_199_254_740_992 }

    /// The one way a number becomes text in the connector (JSON it writes, ids read as
    /// numbers, OData keys, metrics, templates, status): an exact whole number as its digits,
    /// `17` not `17.0`; anything else as Swift prints a Double.
    public var plainText: String { isExactWhole ? String(Int64(self)) : String(self) }
}
