/// Builds `$filter` expressions from values that may hold quotes (customer POs, names):
/// OData 4.0 doubles a single quote inside a string literal.
public enum ODataFilter {
    /// `O'Neil` -> `'O''Neil'`
    public static func string(_ value: String) -> String {
        "'" + value.replacing("'", with: "''") + "'"
    }

    /// `Field eq 'value'`
    public static func eq(_ field: String, _ value: String) -> String {
        "\(field) eq \(string(value))"
    }

    /// `Field eq 'a' or Field eq 'b'` (OData 4.0 has `in` only from 4.01; SYSPRO's level is unknown).
    public static func anyOf(_ field: String, _ values: [String]) -> String {
        values.map { eq(field, $0) }.joined(separator: " or ")
    }
}
