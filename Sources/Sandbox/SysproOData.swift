import ConnectorKit
import Foundation
import WebhookCore

/// SYSPRO's OData service (docs/vendors/syspro.md "OData"): read-only OData 4.0 with minimal
/// metadata, HTTP Basic auth, at most `--odata-page-size` rows per response (5,000 by
/// default, secondary source) followed by an absolute `@odata.nextLink`.
struct SysproOData {
    static let root = "/syspro/odata"
    let state: SandboxState

    func handle(_ req: SandboxRequest) -> Reply {
        guard authorized(req) else {
            return ODataError.reply(status: 401, message: "Authorization has been denied for this request.")
                .adding("www-authenticate", "Basic realm=\"SYSPRO OData\"")
        }
        guard req.method == "GET" else {
            return ODataError.reply(status: 405, message: "The service is read-only: only GET is supported.")
        }
        let rest = String(req.path.dropFirst(SysproOData.root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let base = req.origin + SysproOData.root
        return state.world.withLock { w in
            if rest.isEmpty {
                let sets = w.syspro.tables.keys.sorted().map { n -> JSONValue in ["name": .string(n), "kind": "EntitySet", "url": .string(n)] }
                return .json(["@odata.context": .string(base + "/$metadata"), "value": .array(sets)])
            }
            if rest == "$metadata" {
                return Reply(status: 200, headers: [("content-type", "application/xml"), ("odata-version", "4.0")],
                             body: Array(ODataMetadata.csdl(w.syspro.tables.values.sorted { $0.name < $1.name }).utf8))
            }
            guard let name = w.syspro.tableName(rest), let table = w.syspro.tables[name] else {
                return ODataError.reply(status: 404, message: "No HTTP resource was found that matches the request URI '\(req.origin + req.path)'.")
            }
            do {
                return try query(table, req, base: base)
            } catch let e as ODataQueryError {
                return ODataError.reply(status: 400, code: e.code, message: e.message)
            } catch {
                return ODataError.reply(status: 500, message: "\(error)")
            }
        }
    }

    private func authorized(_ req: SandboxRequest) -> Bool {
        guard let h = req.header("authorization"), h.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(h.dropFirst(6)).trimmed) else { return false }
        return String(decoding: data, as: UTF8.self) == "\(SeedData.odataUser):\(SeedData.odataPassword)"
    }

    private func query(_ table: Table, _ req: SandboxRequest, base: String) throws -> Reply {
        let known: Set<String> = ["$filter", "$select", "$orderby", "$top", "$skip", "$count", "$format"]
        for q in req.query where q.name.hasPrefix("$") && !known.contains(q.name) {
            throw ODataQueryError("The query parameter '\(q.name)' is not supported.")
        }
        var rows = table.rows
        if let f = req.param("$filter") {
            let expr = ODataFilter.canonical(try ODataFilter.parse(f), table)
            guard try ODataFilter.check(expr, table, binaryCompare: state.options.odataBinaryCompare) == .bool else { throw ODataQueryError("The $filter expression must evaluate to a Boolean.") }
            rows = rows.filter { ODataFilter.matches(expr, $0) }
        }
        if let o = req.param("$orderby") {
            var keys: [(String, Bool)] = []
            for part in o.split(separator: ",") {
                let words = part.split(separator: " ").map(String.init)
                guard let field = words.first, let col = table.column(field), words.count <= 2 else {
                    throw ODataQueryError("Could not find a property named '\(String(part).trimmed)' on type 'SYSPRO.\(table.name)'.")
                }
                if col.type == .binary && !state.options.odataBinaryCompare {
                    throw ODataQueryError("The $orderby expression '\(String(part).trimmed)' sorts by the Edm.Binary property '\(col.name)', which cannot be ordered.",
                                          code: "BinaryOrderByNotSupported")
                }
                let dir = words.count == 2 ? words[1].lowercased() : "asc"
                guard dir == "asc" || dir == "desc" else { throw ODataQueryError("Syntax error in $orderby: '\(part)'.") }
                keys.append((col.name, dir == "desc"))
            }
            rows.sort { a, b in
                for (k, desc) in keys {
                    let r = ODataFilter.compare(a[k] ?? .null, b[k] ?? .null) ?? .orderedSame
                    if r != .orderedSame { return desc ? r == .orderedDescending : r == .orderedAscending }
                }
                return false
            }
        }
        var columns = table.columns
        if let s = req.param("$select"), s.trimmed != "*" {
            columns = try s.split(separator: ",").map { name in
                guard let c = table.column(String(name).trimmed) else {
                    throw ODataQueryError("Could not find a property named '\(String(name).trimmed)' on type 'SYSPRO.\(table.name)'.")
                }
                return c
            }
        }
        func nonNegative(_ name: String) throws -> Int? {
            guard let v = req.param(name) else { return nil }
            guard let n = Int(v), n >= 0 else { throw ODataQueryError("Invalid value '\(v)' for \(name): a non-negative integer is required.") }
            return n
        }
        let skip = try nonNegative("$skip") ?? 0
        let top = try nonNegative("$top")
        let countRequested: Bool
        switch req.param("$count")?.lowercased() {
        case nil, "false": countRequested = false
        case "true": countRequested = true
        case let v?: throw ODataQueryError("Invalid value '\(v)' for $count: true or false expected.")
        }

        let total = rows.count
        let wanted = top.map { min($0, max(0, total - skip)) } ?? max(0, total - skip)
        let pageSize = state.options.odataPageSize
        let page = Array(rows.dropFirst(skip).prefix(min(wanted, pageSize)))
        let context = base + "/$metadata#" + table.name + (columns.count == table.columns.count ? "" : "(" + columns.map(\.name).joined(separator: ",") + ")")
        var out: [String: JSONValue] = [
            "@odata.context": .string(context),
            "value": .array(page.map { row in .object(Dictionary(uniqueKeysWithValues: columns.map { ($0.name, json(row[$0.name] ?? .null)) })) }),
        ]
        if countRequested { out["@odata.count"] = .int(total) }
        if wanted > pageSize {
            var q = req.query.filter { $0.name != "$skip" && $0.name != "$top" }
            q.append(("$skip", String(skip + pageSize)))
            if let top { q.append(("$top", String(top - pageSize))) }
            out["@odata.nextLink"] = .string(base + "/" + table.name + "?" + FormEncoding.encode(q.map { ($0.name, $0.value) }))
        }
        return Reply.json(.object(out)).adding("odata-version", "4.0")
    }

    private func json(_ c: Cell) -> JSONValue {
        switch c {
        case .null: return .null
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .date(let d): return .string(d)
        case .rowversion(let v): return .string(ODataRowversion.format(v, state.options.rowversionFormat))
        }
    }
}

enum ODataRowversion {
    static func format(_ v: UInt64, _ style: SandboxOptions.RowversionFormat) -> String {
        switch style {
        case .base64: return Data((0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) }).base64EncodedString()
        case .hex: return "0x" + String(format: "%016llX", v)
        }
    }
}

enum ODataError {
    static func reply(status: Int, code: String = "", message: String) -> Reply {
        .json(["error": ["code": .string(code), "message": .string(message)]], status: status)
    }
}
