import ConnectorKit
import Foundation
import WebhookCore

/// `/_control/...`: what tests and `ml-sandbox init-tenant` use to set up, inspect
/// and break the simulators. JSON, no auth (the server binds loopback only).
struct Control {
    let state: SandboxState

    func handle(_ req: SandboxRequest) -> Reply {
        let p = req.path.split(separator: "/").dropFirst().map(String.init)  // drop "_control"
        let now = SandboxClock.now()
        return state.world.withLock { w in
            do {
                return try route(req, p, &w, now)
            } catch let e as ControlError {
                return .json(["error": .string(e.message)], status: 400)
            } catch {
                return .json(["error": .string("\(error)")], status: 400)
            }
        }
    }

    func body(_ req: SandboxRequest) throws -> JSONValue {
        guard !req.body.isEmpty else { return [:] }
        do { return try JSONValue.parse(Data(req.body)) } catch { throw ControlError("body is not JSON: \(error)") }
    }

    private func route(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply {
        if let reply = try inventoryRoute(req, p, &w, now) { return reply }
        if let reply = try hubSpotRoute(req, p, &w, now) { return reply }
        if let reply = try twilioRoute(req, p, &w, now) { return reply }
        if let reply = try purchasingRoute(req, p, &w, now) { return reply }
        if let reply = try shipBobSettingsRoute(req, p) { return reply }
        if let reply = try shipBobScopesRoute(req, p, &w) { return reply }
        if let reply = try movementSettingsRoute(req, p, &w) { return reply }
        switch (req.method, p) {
        case ("GET", ["credentials"]):
            return .json([
                "syspro": [
                    "operator": "ADMIN", "operator_password": .string(SeedData.sysproOperators["ADMIN"]!),
                    "company_id": "FASHION", "company_password": .string(SeedData.sysproCompanies["FASHION"]!),
                    "odata_user": .string(SeedData.odataUser), "odata_password": .string(SeedData.odataPassword),
                ],
                "shipbob": [
                    "pat": .string(SeedData.shipBobPAT), "client_id": .string(SeedData.shipBobClientId),
                    "client_secret": .string(SeedData.shipBobClientSecret), "refresh_token": .string(w.auth.demoRefreshToken),
                    "channel_id": .int(SeedData.shipBobChannelId),
                ],
                "hubspot": ["token": .string(SeedData.hubSpotToken), "tier": .string(state.options.hubspotTier.name)],
                "twilio": [
                    "account_sid": .string(SeedData.twilioAccountSid), "auth_token": .string(SeedData.twilioAuthToken),
                    "api_key_sid": .string(SeedData.twilioApiKeySid), "api_key_secret": .string(SeedData.twilioApiKeySecret),
                    "from": .string(SeedData.twilioFrom), "messaging_service_sid": .string(SeedData.twilioMessagingServiceSid),
                    "webhook_shared_key_id": .string(SeedData.twilioWebhookSharedKeyId),
                    "webhook_shared_key_secret": .string(SeedData.twilioWebhookSharedKeySecret),
                ],
                "webhook_secret": .string(state.options.webhookSecret),
            ])
        case ("POST", ["faults"]):
            let j = try body(req)
            let rules = try (j.array ?? [j]).map(Fault.init(json:))
            w.faults += rules
            return .json(["faults": .array(w.faults.map(\.json))], status: 201)
        case ("GET", ["faults"]):
            return .json(["faults": .array(w.faults.map(\.json))])
        case ("DELETE", ["faults"]):
            w.faults.removeAll()
            return .json(["faults": []])
        case ("GET", ["requests"]):
            let service = req.param("service")
            return .json(.array(w.log.filter { service == nil || $0.service == service }.map(\.json)))
        case ("DELETE", ["requests"]):
            w.log.removeAll()
            return .json([])
        case ("PUT", ["syspro", "settings"]):
            // Runtime switches of the SYSPRO simulator; `null` goes back to the serve option.
            let j = try body(req)
            if let v = j["omit_order_percent"] {
                guard v == .null || (v.int64.map { (0...100).contains($0) } ?? false) else {
                    throw ControlError("omit_order_percent must be 0...100 or null")
                }
                w.syspro.omitOrderPercent = v.int64.map { Int($0) }
            }
            if let v = j["amendment_journal"] {
                guard v == .null || v == .bool(true) || v == .bool(false) else { throw ControlError("amendment_journal must be true, false or null") }
                w.syspro.amendmentJournal = v == .null ? nil : v == .bool(true)
            }
            return .json(["omit_order_percent": .int(w.syspro.omitOrderPercent ?? state.options.sysproOmitOrderPercent),
                          "amendment_journal": .bool(w.syspro.amendmentJournal ?? state.options.sysproAmendmentJournal)])
        case ("POST", let path) where path.count == 3 && path[0] == "syspro" && path[1] == "customers":
            // A person changing a customer in SYSPRO's Customer Maintenance; `at` (epoch
            // seconds) dates the change, for tests that order it against a HubSpot edit.
            let j = try body(req)
            guard w.syspro.first("ArCustomer", where: { $0["Customer"]?.string == path[2] }) != nil else {
                return .json(["error": "unknown customer"], status: 404)
            }
            let changes = CustomerSetup.maintained.compactMap { c in j[c]?.string.map { (c, $0) } }
            guard !changes.isEmpty else { throw ControlError("name CustomerClass and/or TermsCode") }
            let journal = w.syspro.amendmentJournal ?? state.options.sysproAmendmentJournal
            CustomerSetup.maintain(&w.syspro, customer: path[2], changes, operatorCode: "CLERK", journal: journal, j["at"]?.double ?? now)
            return .json(rowJSON(w.syspro.first("ArCustomer", where: { $0["Customer"]?.string == path[2] })!))
        case ("POST", ["syspro", "expire-sessions"]):
            w.sessions.expireAll()
            return .json(["expired": true])
        case ("POST", ["shipbob", "expire-tokens"]):
            let age = try body(req)["older_than_seconds"].map { v -> Double in
                guard let a = v.double, a >= 0 else { throw ControlError("older_than_seconds must be a number of seconds, 0 or more") }
                return a
            }
            return .json(["expired": .int(w.auth.expireAccessTokens(now: now, minimumAge: age ?? 0))])
        case ("GET", ["syspro", "sales-orders"]):
            let lines = w.syspro.rows("SorDetail")
            return .json(.array(w.syspro.rows("SorMaster").map { m in
                var o = rowJSON(m)
                o[set: "lines"] = .array(lines.filter { $0["SalesOrder"] == m["SalesOrder"] }.map(rowJSON))
                return o
            }))
        case ("GET", let path) where path.count == 3 && path[0] == "syspro" && path[1] == "tables":
            guard let name = w.syspro.tableName(path[2]) else { return .json(["error": "unknown table"], status: 404) }
            return .json(.array(w.syspro.rows(name).map(rowJSON)))
        case ("GET", let path) where path.count == 3 && path[0] == "shipbob" && path[1] == "orders":
            guard let id = Int(path[2]), let o = w.shipbob.orders[id] else { return .json(["error": "unknown order"], status: 404) }
            return .json(o)
        case ("GET", ["shipbob", "orders"]):
            return .json(.array(w.shipbob.orders.keys.sorted().map { w.shipbob.orders[$0]! }))
        case ("POST", ["shipbob", "orders"]):
            let input = try body(req)
            let channel = Int(input["channel"]?["id"]?.int64 ?? Int64(SeedData.shipBobChannelId))
            return .json(w.shipbob.createOrder(from: input, channelId: channel, now: now), status: 201)
        case ("POST", ["reset"]):
            w = World.seeded()
            return .json(["reset": true])
        default:
            if let reply = try ControlFulfillment.route(req, p, &w, now) { return reply }
            return .json(["error": .string("unknown control endpoint \(req.method) \(req.path)")], status: 404)
        }
    }

    /// A SYSPRO row for assertions: numbers as numbers, rowversions as their unsigned value.
    func rowJSON(_ r: Row) -> JSONValue {
        .object(r.mapValues { c in
            switch c {
            case .null: return .null
            case .string(let s), .date(let s): return .string(s)
            case .number(let n): return .number(n)
            case .rowversion(let v): return .string(ODataRowversion.format(v, state.options.rowversionFormat))
            }
        })
    }
}
