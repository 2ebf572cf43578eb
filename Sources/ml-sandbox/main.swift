import ArgumentParser
import ConnectorKit
import Foundation
import FoundationNetworking
import Sandbox
import TimeZones
import WebhookCore

/// A command whose work is async. main.swift cannot carry `@main`, and calling `run()`
/// on an `any AsyncParsableCommand` picks the synchronous requirement, so the entry point
/// below dispatches on this protocol instead.
protocol AsyncCommand: ParsableCommand {
    func execute() async throws
}

/// `ml-sandbox`: the vendor simulators on loopback, a ShipBob webhook sender, and a demo
/// tenant wired to them.
struct MLSandbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-sandbox",
        abstract: "Local simulators of SYSPRO e.net REST + OData, ShipBob, HubSpot and Twilio, for trying and testing ml-connector.",
        version: "0.1.0",
        subcommands: [Serve.self, Emit.self, InitTenant.self])
}

struct Serve: AsyncCommand {
    static let configuration = CommandConfiguration(abstract: "Run the simulators on 127.0.0.1 until interrupted.")

    @Option(help: "Port to listen on (0 picks a free one).") var port: Int
    @Option(help: "Address to bind; loopback only.") var host = "127.0.0.1"
    @Option(help: "Idle seconds before a SYSPRO session expires.") var sessionTimeout: Double = 1200
    @Option(help: "Most rows per OData response before @odata.nextLink.") var odataPageSize = 5000
    @Option(help: "Seconds a ShipBob OAuth access token lives.") var accessTokenLifetime = 3600
    @Option(help: "ShipBob requests per minute per user and application.") var rateLimit = 150
    @Option(help: "Standard Webhooks secret (whsec_...); random if omitted.") var webhookSecret: String?
    @Option(help: "How OData shows rowversions: base64 or hex.") var rowversionFormat: SandboxOptions.RowversionFormat = .base64
    @Flag(help: "Allow gt/ge/lt/le and $orderby on Edm.Binary properties (TimeStamp); by default refused with 400, as OData 4.01 allows only eq/ne null.")
    var odataBinaryCompare = false
    @Option(help: "HubSpot subscription setting the limits: free (100 per 10 s), professional or enterprise (190), or a number per 10 s.")
    var hubspotTier: HubSpotTier = .professional
    @Option(help: "HubSpot requests per day; the tier's (250k, 625k, 1M) if omitted.") var hubspotDailyLimit: Int?
    @Option(help: "The HubSpot account's time zone (IANA name): its daily limit resets at midnight there.")
    var hubspotTimeZone = "America/New_York"
    @Option(help: "An association naming a merged HubSpot record: refused (404, the default) or redirected to the record it became.")
    var hubspotMergedIds: SandboxOptions.MergedIds = .refused
    @Option(help: "Twilio requests one account may have in flight; more answer 429 (error 20429).") var twilioConcurrency = 100
    @Option(help: "Twilio requests one account may start per second; 0 for no such limit.") var twilioPerSecond = 0
    @Option(help: "Seconds between a Twilio message's statuses (queued, sending, sent, delivered); 0: only by control call.")
    var twilioStatusStep: Double = 1
    @Option(help: "A directory recorded with ML_CONNECTOR_RECORD: its answers are served first, each once, in order.")
    var fixtures: String?
    @Option(help: "ShipBob GET /channel answers: page ({items, next, prev}, documented) or array.")
    var shipbobChannelShape: ShipBobSwitches.ChannelShape = .page
    @Option(help: "Paging headers of ShipBob GET /order and /receiving: none, next-page, total-pages (with page-number), all.")
    var shipbobPagingHeaders: ShipBobSwitches.PagingHeaders = .none
    @Option(help: "The scope ShipBob GET /fulfillment-center needs: receiving_read, locations_read or both.")
    var shipbobFulfillmentCenterScope: ShipBobSwitches.FulfillmentCenterScope = .both
    @Option(help: "How Twilio status callbacks are signed: auth-token (HMAC-SHA1, Twilio's default), or shared-key-sha1 / shared-key-sha256 (a Webhook Setting's SharedKey, named in X-Twilio-Webhooks-Signature-Settings).")
    var twilioCallbackSigning: SandboxOptions.TwilioCallbackSigning = .authToken
    @Option(help: "The URL Twilio status callbacks are signed over: as-given (the StatusCallback) or toggled (its port removed, or the default port added).")
    var twilioSignedURLPort: SandboxOptions.TwilioSignedURLPort = .asGiven
    @Option(help: "Percent (0-100) of clean SYSPRO sales order imports answered without their <Order> block, as live SYSPRO 8 does.")
    var sysproOmitOrderPercent = 50
    @Flag(help: "Keep SYSPRO's customer amendment journal (ArAmendmentJnl): customer changes are dated there. Off by default, as on a company that does not keep it.")
    var sysproAmendmentJournal = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard odataPageSize > 0, rateLimit > 0, accessTokenLifetime > 0, sessionTimeout > 0 else {
            throw ValidationError("page size, rate limit, token lifetime and session timeout must be positive")
        }
        if let d = hubspotDailyLimit, d <= 0 { throw ValidationError("--hubspot-daily-limit must be positive") }
        do { _ = try ZoneInfo(identifier: hubspotTimeZone) } catch { throw ValidationError("--hubspot-time-zone: \(error)") }
        guard twilioConcurrency > 0, twilioPerSecond >= 0, twilioStatusStep >= 0 else {
            throw ValidationError("--twilio-concurrency must be positive, --twilio-per-second and --twilio-status-step not negative")
        }
        if let s = webhookSecret { _ = try StandardWebhooks(secret: s) }
        guard (0...100).contains(sysproOmitOrderPercent) else { throw ValidationError("--syspro-omit-order-percent must be 0...100") }
    }

    func execute() async throws {
        let zone = try ZoneInfo(identifier: hubspotTimeZone)
        var options = SandboxOptions(host: host, port: port, sessionTimeout: sessionTimeout, odataPageSize: odataPageSize,
                                     accessTokenLifetime: accessTokenLifetime, rateLimit: rateLimit,
                                     webhookSecret: webhookSecret, rowversionFormat: rowversionFormat,
                                     odataBinaryCompare: odataBinaryCompare, hubspotTier: hubspotTier, hubspotDailyLimit: hubspotDailyLimit,
                                     hubspotTimeZone: zone, hubspotMergedIds: hubspotMergedIds,
                                     twilioConcurrency: twilioConcurrency, twilioPerSecond: twilioPerSecond,
                                     twilioStatusStep: twilioStatusStep,
                                     shipBob: ShipBobSwitches(channelShape: shipbobChannelShape, pagingHeaders: shipbobPagingHeaders,
                                                                      fulfillmentCenterScope: shipbobFulfillmentCenterScope),
                                     twilioCallbackSigning: twilioCallbackSigning, twilioSignedURLPort: twilioSignedURLPort,
                                     sysproOmitOrderPercent: sysproOmitOrderPercent)
        options.sysproAmendmentJournal = sysproAmendmentJournal
        if let fixtures {
            do { options.fixtures = try RecordedExchange.load(directory: fixtures) } catch {
                Logger(job: "ml-sandbox").error("cannot load fixtures", ["error": "\(error)"])
                throw ExitCode(ExitStatus.dataError.rawValue)
            }
        }
        let server = SandboxServer(options: options)
        let log = Logger(job: "ml-sandbox")
        let bound: Int
        do { bound = try await server.start() } catch {
            log.error("cannot start", ["error": "\(error)"])
            throw ExitCode(ExitStatus.unavailable.rawValue)
        }
        log.info("serving", ["port": String(bound), "session_timeout": String(sessionTimeout),
                             "odata_page_size": String(odataPageSize), "odata_binary_compare": String(odataBinaryCompare), "rate_limit": String(rateLimit),
                             "hubspot_tier": hubspotTier.name, "twilio_concurrency": String(twilioConcurrency)])
        // Unbuffered: tests wait for this exact line.
        FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(bound)\n".utf8))
        try await server.wait()
    }
}

extension SandboxOptions.RowversionFormat: ExpressibleByArgument {}
extension SandboxOptions.MergedIds: ExpressibleByArgument {}
extension ShipBobWebhook.BodyShape: ExpressibleByArgument {}
extension ShipBobSwitches.ChannelShape: ExpressibleByArgument {}
extension ShipBobSwitches.PagingHeaders: ExpressibleByArgument {}
extension ShipBobSwitches.FulfillmentCenterScope: ExpressibleByArgument {}
extension SandboxOptions.TwilioCallbackSigning: ExpressibleByArgument {}
extension SandboxOptions.TwilioSignedURLPort: ExpressibleByArgument {}

extension HubSpotTier: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct Emit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one signed webhook as the vendor would.", subcommands: [EmitShipBob.self])
}

struct EmitShipBob: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipbob",
        abstract: "POST one ShipBob webhook (Standard Webhooks signature, topic header of its generation).")

    @Argument(help: "Topic, e.g. order.shipped, order.shipment.delivered, or legacy order_shipped, shipment_delivered.")
    var topic: String
    @Option(help: "Webhook endpoint URL.") var to: String
    @Option(help: "Subscription secret (whsec_...).") var secret: String
    @Option(help: "Order whose payload to send.") var orderId: Int = ShipBobWebhook.defaultOrderId
    @Option(help: "Shipment of the order (shipment topics); the first if omitted.") var shipmentId: Int?
    @Option(help: "webhook-id header; msg_<random> if omitted.") var webhookId: String?
    @Option(help: "webhook-timestamp (Unix seconds); now if omitted.") var timestamp: Int64?
    @Option(help: "Send this file's bytes as the body.") var bodyFile: String?
    @Option(help: "Fetch the order from this running sandbox instead of the seed data.") var sandbox: String?
    @Option(help: "Receiving topics (receiving.*, wro.*): send this warehouse receiving order as the body.") var wroId: Int?
    @Option(help: "Body shape: model (the order, or its shipment for shipment topics), order-reference (order id, status and tracking, no shipment id), envelope ({type, timestamp, data}).")
    var shape: ShipBobWebhook.BodyShape = .model
    @Flag(help: "Leave out the topic header (x-webhook-topic or shipbob-topic).") var withoutTopicHeader = false

    func validate() throws {
        _ = try StandardWebhooks(secret: secret)
        guard URL(string: to)?.scheme != nil else { throw ValidationError("--to must be an absolute URL") }
    }

    func execute() async throws {
        let body: [UInt8]
        if let wroId {
            body = Array(try JSON.encode(try await receivingOrder(wroId)))
        } else if let bodyFile {
            guard let data = FileManager.default.contents(atPath: bodyFile) else { fail(.dataError, "cannot read \(bodyFile)") }
            body = Array(data)
        } else {
            let order: JSONValue
            if let sandbox {
                let url = URL(string: sandbox.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/_control/shipbob/orders/\(orderId)")!
                let (data, status) = await send(URLRequest(url: url))
                guard status == 200, let data, let o = try? JSONValue.parse(data) else {
                    fail(.dataError, "sandbox has no order \(orderId) (HTTP \(status))")
                }
                order = o
            } else {
                guard let o = ShipBobWebhook.seedOrder(id: orderId) else { fail(.dataError, "no order \(orderId) in the seed data") }
                order = o
            }
            guard let payload = ShipBobWebhook.payload(topic: topic, order: order, shipmentId: shipmentId, shape: shape) else {
                fail(.dataError, "order \(orderId) has no shipment \(shipmentId.map(String.init) ?? "")")
            }
            body = Array(try JSON.encode(payload))
        }
        let hook = try ShipBobWebhook(topic: topic, body: body, secret: secret, id: webhookId, timestamp: timestamp,
                                      topicHeader: !withoutTopicHeader)
        var request = URLRequest(url: URL(string: to)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in hook.headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, status) = await send(request)
        print(status)
        if let data, !data.isEmpty { print(String(decoding: data, as: UTF8.self)) }
        if !(200..<300).contains(status) { throw ExitCode(ExitStatus.dataError.rawValue) }
    }

    /// The WRO from the running sandbox (`--sandbox`) or the seed data. ShipBob publishes no
    /// receiving webhook body (docs/vendors/shipbob.md): the WRO as `GET /receiving/{id}` serves it is sent.
    private func receivingOrder(_ id: Int) async throws -> JSONValue {
        if let sandbox {
            let url = URL(string: sandbox.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/_control/shipbob/receiving/\(id)")!
            let (data, status) = await send(URLRequest(url: url))
            guard status == 200, let data, let wro = try? JSONValue.parse(data) else {
                fail(.dataError, "sandbox has no receiving order \(id) (HTTP \(status))")
            }
            return wro
        }
        guard let wro = ShipBobWebhook.seedReceivingOrder(id: id) else { fail(.dataError, "no receiving order \(id) in the seed data") }
        return wro
    }

    /// Status 0 never returns: a connection failure ends the command with EX_UNAVAILABLE.
    private func send(_ request: URLRequest) async -> (Data?, Int) {
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            fail(.unavailable, "cannot reach \(request.url?.absoluteString ?? ""): \(error.localizedDescription)")
        }
    }

    private func fail(_ status: ExitStatus, _ message: String) -> Never {
        Logger(job: "ml-sandbox").error(message)
        Foundation.exit(status.rawValue)
    }
}

do {
    var command = try MLSandbox.parseAsRoot()
    if let asyncCommand = command as? AsyncCommand {
        try await asyncCommand.execute()
    } else {
        try command.run()
    }
} catch {
    MLSandbox.exit(withError: error)
}
