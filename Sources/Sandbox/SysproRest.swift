import ConnectorKit
import ENetXML
import Foundation
import TimeZones

/// SYSPRO e.net REST (`/SYSPROWCFService/Rest`), as recorded traffic shows it (docs/vendors/syspro.md,
/// SYSPRO): every call is a GET with its inputs in the query string (other methods 405),
/// and errors are HTTP 200 with a body starting `ERROR:`.
struct SysproRest {
    static let prefix = "/syspro/SYSPROWCFService/Rest/"
    static let invalidSession = "ERROR: The supplied UserID is invalid."
    /// The demo SYSPRO server's time zone (the demo tenant's `syspro.time_zone`): its company
    /// date in the logon profile is local to it (docs/vendors/syspro.md, "Logon profile: the company date").
    static let serverZone = "America/Chicago"

    static func companyDate(_ now: Double) -> String {
        (try? ZoneInfo(identifier: serverZone).localDate(atUTC: Int64(now.rounded(.down)))) ?? ""
    }

    let state: SandboxState

    func handle(_ req: SandboxRequest) -> Reply {
        guard req.method == "GET" else { return .text("Method not allowed.", status: 405) }
        // WCF UriTemplate matching ignores case.
        let endpoint = String(req.path.dropFirst(SysproRest.prefix.count)).lowercased()
        let now = SandboxClock.now()
        let timeout = state.options.sessionTimeout
        return state.world.withLock { w in
            switch endpoint {
            case "logon": return logon(req, &w, now)
            case "getversion": return .text(SeedData.sysproVersion)
            case "logoff":
                guard w.sessions.use(req.param("UserId"), now: now, timeout: timeout) != nil else { return .text(SysproRest.invalidSession) }
                w.sessions.logoff(req.param("UserId")!)
                return .text("0")
            case "getlogonprofile":
                guard let s = w.sessions.use(req.param("UserId"), now: now, timeout: timeout) else { return .text(SysproRest.invalidSession) }
                return SysproXML.document(root: "LogonProfile",
                    XML.element("Operator", s.op) + "\n" + XML.element("OperatorName", s.op == "ADMIN" ? "Administrator" : s.op) + "\n"
                    + XML.element("CompanyId", s.company) + "\n" + XML.element("CompanyName", SeedData.sysproCompanyName) + "\n"
                    + XML.element("SystemLanguage", "05") + "\n"
                    + XML.element("CompanyDate", SysproRest.companyDate(now)) + "\n")
            case "setup/update":
                guard let s = w.sessions.use(req.param("UserId"), now: now, timeout: timeout) else { return .text(SysproRest.invalidSession) }
                let journal = w.syspro.amendmentJournal ?? state.options.sysproAmendmentJournal
                let setups: [String: BusinessObject] = [
                    "ARSSCS": { CustomerSetup.update($0, $1, &$2, $3, operatorCode: s.op, journal: journal) },
                ]
                return run(req, setups, &w.syspro, now)
            case "transaction/post":
                guard w.sessions.use(req.param("UserId"), now: now, timeout: timeout) != nil else { return .text(SysproRest.invalidSession) }
                return run(req, transactions(w.syspro, w.movementSettings), &w.syspro, now)
            default:
                return .text("Endpoint not found.", status: 404)
            }
        }
    }

    private func logon(_ req: SandboxRequest, _ w: inout World, _ now: Double) -> Reply {
        let op = req.param("Operator")?.trimmed.uppercased() ?? ""
        guard let password = SeedData.sysproOperators[op], password == (req.param("OperatorPassword") ?? "") else {
            return .text("ERROR: Invalid operator password")
        }
        let company = req.param("CompanyId")?.trimmed.uppercased() ?? ""
        guard let companyPassword = SeedData.sysproCompanies[company] else { return .text("ERROR: Invalid company") }
        if !companyPassword.isEmpty, req.param("CompanyPassword") != companyPassword {
            return .text("ERROR: Invalid company password")
        }
        return .text(w.sessions.logon(operator: op, company: company, now: now))
    }

    typealias BusinessObject = (XMLElement?, XMLElement, inout SysproDatabase, Double) -> Reply

    private func transactions(_ db: SysproDatabase, _ movements: SysproMovementSettings) -> [String: BusinessObject] {
        let omitPercent = db.omitOrderPercent ?? state.options.sysproOmitOrderPercent
        return [
            "SORTOI": { SalesOrderImport.post($0, $1, &$2, $3, omitPercent: omitPercent) }, "SORTOS": SalesOrderStatus.post,
            "SORTDN": SalesOrderDispatch.post, "SORTNC": DispatchInvoice.post, "SORTOX": SalesOrderCancel.post,
            "INVTMR": { InventoryPosting.post(.receipt, $0, $1, &$2, $3, movements) },
            "INVTMA": { InventoryPosting.post(.adjustment, $0, $1, &$2, $3, movements) },
        ]
    }

    /// One business object call, Transaction/Post or Setup: the object named, its XML read,
    /// and a validation run on a copy of the database.
    private func run(_ req: SandboxRequest, _ objects: [String: BusinessObject], _ db: inout SysproDatabase, _ now: Double) -> Reply {
        let bo = req.param("BusinessObject")?.trimmed.uppercased() ?? ""
        guard let object = objects[bo] else { return .text("ERROR: Business object \(bo) not found") }
        let params: XMLElement?
        let xmlIn: XMLElement
        do {
            params = try req.param("XmlParameters").flatMap { $0.trimmed.isEmpty ? nil : try XML.parse($0) }
            guard let x = req.param("XmlIn"), !x.trimmed.isEmpty else { return .text("ERROR: XmlIn is required") }
            xmlIn = try XML.parse(x)
        } catch {
            return .text("ERROR: The XML supplied is not well formed. \(error)")
        }
        // Validation without posting (docs/vendors/syspro.md, "Validate-only posts"): the
        // business object runs on a copy of the database, so it answers as it would and keeps nothing.
        let validates = bo == "SORTOI" ? params?.value("Process")?.uppercased() == "VALIDATE"
                                       : params?.value("ValidateOnly")?.uppercased() == "Y"
        if validates {
            var scratch = db
            return object(params, xmlIn, &scratch, now)
        }
        return object(params, xmlIn, &db, now)
    }
}
