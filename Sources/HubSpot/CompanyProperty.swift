/// The custom HubSpot company properties the connector owns: syspro-to-hubspot creates and
/// fills them, hubspot-to-syspro reads a person's edits of them. One list, so both jobs name
/// the same properties.
public enum CompanyProperty {
    /// The company's SYSPRO customer code (unique: the upsert key).
    public static let customerCode = "syspro_customer_code"
    public static let customerClass = "syspro_customer_class"
    public static let termsCode = "syspro_terms_code"
}
