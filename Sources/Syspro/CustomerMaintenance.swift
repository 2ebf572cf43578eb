import ConnectorKit
import ENetXML

/// ARSSCS, customer maintenance, through `Setup/Update`: the documented way to change a
/// customer's class or terms (docs/vendors/syspro.md, "Customer maintenance: ARSSCS
/// Setup/Update"). Only the fields named are sent; SYSPRO leaves the others as they are.
public enum CustomerMaintenance {
    public static let businessObject = "ARSSCS"

    /// The ArCustomer columns the connector may write, with ARSSCS's element for each (the
    /// same name) and SYSPRO's width: "Format is 2 characters alphanumeric".
    public enum Field: String, CaseIterable, Sendable {
        case customerClass = "CustomerClass", termsCode = "TermsCode"
        public var maxLength: Int { 2 }
    }

    /// XmlParameters: IgnoreWarnings=N so a warning comes back as an error rather than a
    /// silent change; ApplyIfEntireDocumentValid=Y so one bad field changes nothing.
    public static func parameters(validateOnly: Bool) -> String {
        "<SetupArCustomer><Parameters>" + XML.element("IgnoreWarnings", "N") + XML.element("ApplyIfEntireDocumentValid", "Y")
            + XML.element("ValidateOnly", validateOnly ? "Y" : "N") + "</Parameters></SetupArCustomer>"
    }

    /// XmlIn for one customer; refuses what SYSPRO would refuse or cut, before sending.
    public static func xmlIn(customer: String, _ fields: [(Field, String)]) throws -> String {
        let source = "ARSSCS update of customer \(customer)"
        guard !customer.trimmed.isEmpty else { throw DataError(source: source, problem: "has no customer code") }
        guard !fields.isEmpty else { throw DataError(source: source, problem: "changes no field") }
        var body = "<Key>" + XML.element("Customer", customer) + "</Key>"
        for (field, value) in fields {
            guard !value.trimmed.isEmpty, value.count <= field.maxLength else {
                throw DataError(source: source, problem: "\(field.rawValue) \"\(value)\" is not 1 to \(field.maxLength) characters")
            }
            body += XML.element(field.rawValue, value)
        }
        return "<SetupArCustomer><Item>\(body)</Item></SetupArCustomer>"
    }

    public enum Outcome: Sendable, Equatable {
        /// Read, nothing invalid, no error.
        case applied
        /// SYSPRO named errors (or counted the record invalid): nothing changed.
        case refused(errors: [String])
        /// Neither proves anything (no StatusOfItems, no error): read the customer back.
        case unclear
    }

    /// Read tolerantly: a setup answer counts RecordsRead/RecordsInvalid (recorded) and
    /// echoes a refused field with Value, ErrorNumber and ErrorDescription.
    public static func outcome(_ root: XMLElement) -> Outcome {
        let errors = SysproErrorText.collect(root)
        let status = root.first("StatusOfItems")
        func count(_ name: String) -> Int? { status?.value(name).flatMap { Int($0.trimmed) } }
        let invalid = count("RecordsInvalid") ?? count("ItemsInvalid") ?? 0
        if !errors.isEmpty || invalid > 0 {
            return .refused(errors: errors.isEmpty ? ["\(invalid) record(s) counted invalid, no error text"] : errors)
        }
        return (count("RecordsRead") ?? count("ItemsProcessed") ?? 0) > 0 ? .applied : .unclear
    }
}
