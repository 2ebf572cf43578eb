import ConnectorKit
import ENetXML
import Foundation
import TimeZones

/// ARSSCS customer maintenance, `Setup/Update` only, for CustomerClass and TermsCode
/// (docs/vendors/syspro.md, "Customer maintenance: ARSSCS Setup/Update"): the answer has the
/// recorded setup shape (lower-case root, a refused field echoed with Value, ErrorNumber and
/// ErrorDescription, StatusOfItems counting RecordsRead and RecordsInvalid). The error
/// numbers are the sandbox's own; only the recorded shape is SYSPRO's. ValidateOnly is
/// SysproRest's, as for every business object: it runs this on a copy of the database.
enum CustomerSetup {
    static let maintained = ["CustomerClass", "TermsCode"]

    static func update(_ params: XMLElement?, _ xmlIn: XMLElement, _ db: inout SysproDatabase, _ now: Double,
                       operatorCode: String, journal: Bool) -> Reply {
        let allOrNothing = params?.value("ApplyIfEntireDocumentValid")?.uppercased() == "Y"
        let items = xmlIn.all("Item")
        var checked: [(customer: String, changes: [(String, String)], errors: String)] = []
        for item in items {
            let customer = item.first("Key")?.value("Customer") ?? ""
            var errors = ""
            var changes: [(String, String)] = []
            if db.first("ArCustomer", where: { $0["Customer"]?.string == customer }) == nil {
                errors += SysproXML.error("Customer", value: customer, number: 110_001, "Customer '\(customer)' not found")
            }
            for field in item.children where field.name.lowercased() != "key" {
                let value = field.trimmedText
                guard let column = maintained.first(where: { $0.lowercased() == field.name.lowercased() }) else {
                    errors += SysproXML.error(field.name, value: value, number: 110_099, "The sandbox maintains only \(maintained.joined(separator: " and ")) through ARSSCS")
                    continue
                }
                let known = column == "CustomerClass" ? SeedData.customerClasses : SeedData.termsCodes
                guard known.contains(value) else {
                    let what = column == "CustomerClass" ? "Customer class" : "Terms code"
                    errors += SysproXML.error(column, value: value, number: column == "CustomerClass" ? 110_010 : 110_011, "\(what) '\(value)' not found")
                    continue
                }
                changes.append((column, value))
            }
            checked.append((customer, changes, errors))
        }
        let invalid = checked.filter { !$0.errors.isEmpty }.count
        if !(allOrNothing && invalid > 0) {
            for c in checked where c.errors.isEmpty {
                maintain(&db, customer: c.customer, c.changes, operatorCode: operatorCode, journal: journal, now)
            }
        }
        var body = ""
        for c in checked {
            body += "<item>\n<key>\n<customer>\(XML.escape(c.customer))</customer>\n</key>\n\(c.errors)</item>\n"
        }
        body += "<StatusOfItems>\n<RecordsRead>\(checked.count)</RecordsRead>\n<RecordsInvalid>\(invalid)</RecordsInvalid>\n</StatusOfItems>\n"
        return SysproXML.document(root: "setuparcustomer", body)
    }

    /// What Customer Maintenance does to a customer, whoever asks (ARSSCS, or a person
    /// through `/_control/syspro/customers/{code}`): the row changes (a new rowversion), and
    /// where the company keeps the amendment journal, one row per changed column stamped
    /// with the server's local date and `HHMMSScc` time.
    static func maintain(_ db: inout SysproDatabase, customer: String, _ changes: [(String, String)], operatorCode: String,
                         journal: Bool, _ now: Double) {
        guard let before = db.first("ArCustomer", where: { $0["Customer"]?.string == customer }) else { return }
        let changed = changes.filter { before[$0.0]?.string != $0.1 }
        guard !changed.isEmpty else { return }
        db.update("ArCustomer", where: { $0["Customer"]?.string == customer }) { row in
            for (column, value) in changed { row[column] = .string(value) }
        }
        guard journal else { return }
        let zone = (try? ZoneInfo(identifier: SysproRest.serverZone)) ?? .utc
        let stamp = zone.localStamp(atUTC: now)
        for (column, _) in changed {
            db.insert("ArAmendmentJnl", [
                "Customer": .string(customer), "JnlDate": .date(stamp.date + "T00:00:00Z"), "JnlTime": .number(Double(stamp.time)),
                "OperatorCode": .string(operatorCode), "ColumnName": .string(column), "Before": before[column] ?? "", "ChangeFlag": "C",
            ])
        }
    }
}
