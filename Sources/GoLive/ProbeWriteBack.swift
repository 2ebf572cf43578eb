import ConnectorKit
import ConnectorNet
import HubSpot
import Syspro
import WebhookCore

/// What `hubspot-to-syspro` relies on, checked only where the tenant opted in
/// (`hubspot.write_back.properties`): ARSSCS takes a customer update, SYSPRO's amendment
/// journal can date a change, HubSpot answers property history.
extension TenantProbe {
    func writeBackChecks(_ check: (String, String, () throws -> ProbeResult) -> Void) {
        let enabled = config.hubspot.writeBack.enabled
        guard !enabled.isEmpty else { return }
        check("SYSPRO e.net", "ARSSCS validates") { try customerSetupValidates(columns: enabled.map(\.column)) }
        check("SYSPRO OData", "amendment journal") { try amendmentJournal() }
        if let hubspot = clients.hubspot {
            check("HubSpot", "property history") { try propertyHistory(hubspot, properties: enabled.map(\.property)) }
        }
    }

    /// An ARSSCS update of a real customer to the values it already holds, sent as a
    /// validation only (docs/vendors/syspro.md, "Customer maintenance: ARSSCS Setup/Update").
    private func customerSetupValidates(columns: [String]) throws -> ProbeResult {
        let name = "ARSSCS validates"
        guard let row = try clients.odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, select: ["Customer"] + columns, top: 1).first,
              let customer = row["Customer"]?.string?.trimmed else {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck, detail: "SYSPRO has no customer to build an update from")
        }
        var fields: [(CustomerMaintenance.Field, String)] = []
        for c in columns {
            if let f = CustomerMaintenance.Field(rawValue: c), let v = row[c]?.string?.trimmed, !v.isEmpty { fields.append((f, v)) }
        }
        guard !fields.isEmpty, let validating = DryRunGuard.validating(parameters: CustomerMaintenance.parameters(validateOnly: false),
                                                                       businessObject: CustomerMaintenance.businessObject) else {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck, detail: "customer \(customer) has no class or terms code to send back")
        }
        let answer = try clients.syspro.setupUpdate(businessObject: CustomerMaintenance.businessObject, parameters: validating,
                                                    xmlIn: try CustomerMaintenance.xmlIn(customer: customer, fields))
        if case .refused(let errors) = CustomerMaintenance.outcome(answer) {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .differs,
                               detail: "SYSPRO refuses customer \(customer)'s own values: \(errors.joined(separator: "; "))",
                               change: "the operator's access to customer maintenance (ARSSCS), or hubspot.write_back.properties")
        }
        return ok("SYSPRO e.net", name, "an update of customer \(customer) (\(fields.map { $0.0.rawValue }.joined(separator: ", "))) passes SYSPRO's validation")
    }

    /// Whether SYSPRO's customer amendment journal can be read (docs/vendors/syspro.md,
    /// "Customer changes: the amendment journal"); without it a change on both sides keeps
    /// SYSPRO's value.
    private func amendmentJournal() throws -> ProbeResult {
        let name = "amendment journal"
        let rows: [JSONValue]
        do {
            rows = try clients.odata.fetch(entitySet: SysproFacts.EntitySet.arAmendmentJnl, select: ["Customer", "JnlDate", "JnlTime", "ColumnName"], top: 1)
        } catch {
            return ProbeResult(system: "SYSPRO OData", check: name, outcome: .cannotCheck,
                               detail: "ArAmendmentJnl cannot be read (\(error)): when a field changed in both systems, SYSPRO keeps its value")
        }
        return rows.isEmpty
            ? ok("SYSPRO OData", name, "ArAmendmentJnl is readable but empty: SYSPRO may not keep it (a company setup choice); until it has rows, a change on both sides keeps SYSPRO's value")
            : ok("SYSPRO OData", name, "ArAmendmentJnl dates customer changes: when a field changed in both systems, the later change wins")
    }

    /// HubSpot answers the history of the write-back properties (docs/vendors/hubspot.md,
    /// "Property history: who changed a value, and when").
    private func propertyHistory(_ hubspot: HubSpotClient, properties: [String]) throws -> ProbeResult {
        let name = "property history"
        let (found, _) = try hubspot.modified(HubSpotFacts.ObjectType.companies, sinceMillis: 0, having: CompanyProperty.customerCode, limit: 1)
        guard let company = found.first?.id else {
            return ProbeResult(system: "HubSpot", check: name, outcome: .cannotCheck, detail: "no company carries \(CompanyProperty.customerCode) yet (run syspro-to-hubspot first)")
        }
        let records = try hubspot.readHistory(HubSpotFacts.ObjectType.companies, ids: [company], properties: [CompanyProperty.customerCode], withHistory: properties)
        let missing = properties.filter { (records.first?.history[$0] ?? []).isEmpty }
        return missing.isEmpty ? ok("HubSpot", name, "company \(company) answers the history of \(properties.joined(separator: ", "))")
            : ProbeResult(system: "HubSpot", check: name, outcome: .differs, detail: "company \(company) has no history for \(missing.joined(separator: ", "))",
                          change: "run syspro-to-hubspot (it creates and fills the properties), or hubspot.write_back.properties")
    }
}
