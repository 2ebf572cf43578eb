import WebhookCore

/// ShipBob's webhooks: a Standard Webhooks signature over the raw body (docs/vendors/shipbob.md,
/// "Standard Webhooks signing"), spooled under the sender's `webhook-id`, so a redelivery is
/// answered 200 and spools nothing. A correctly signed delivery is never refused for its
/// topic or its shape.
struct ShipBobDelivery {
    let inbound: Inbound

    func accept() -> CGIResponse {
        let request = inbound.request, answer = inbound.answer
        let deliveryID = WebhookSource.shipbob.claimedID(request)
        // The current generation names the topic in x-webhook-topic, the legacy one in
        // shipbob-topic; ShipBob publishes no header table, so a delivery without either is
        // spooled all the same, topic empty, and shipbob-to-syspro places it by its body
        // (docs/vendors/shipbob.md, "Webhook topics and payload shapes"). Refusing it would
        // only earn retries and, after 5 days, a disabled endpoint.
        let topic = request.header("x-webhook-topic") ?? request.header("shipbob-topic") ?? ""
        let verifier: StandardWebhooks, keys: [[UInt8]]
        do {
            keys = try inbound.masterKeys()
            let secret = try inbound.secret(SecretName.shipbobWebhookSecret, keys: keys)
            verifier = try StandardWebhooks(secret: secret, tolerance: inbound.limits.toleranceSeconds)
        } catch {
            return answer.unavailable("webhook secret: \(error)", id: deliveryID)
        }
        do {
            try verifier.verify(id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                                signature: request.header("webhook-signature"), body: inbound.body, now: Int64(inbound.now))
        } catch let failure as StandardWebhooks.Failure {
            return answer.refuse(failure.httpStatus == 500 ? 503 : failure.httpStatus, failure.description, id: deliveryID)
        } catch {
            return answer.refuse(401, "\(error)", id: deliveryID)
        }
        guard Maildir.isValidID(deliveryID) else {
            return answer.refuse(400, "webhook-id is not a usable id (letters, digits, - _ . only, at most 200)", id: "-")
        }
        let sealed: String
        do { sealed = try SpoolEnvelope.seal(inbound.body, key: keys[0], source: inbound.source.rawValue) }
        catch { return answer.unavailable("sealing the webhook: \(error)", id: deliveryID) }
        return inbound.spool(id: deliveryID, topic: topic,
                             headerNames: ["webhook-id", "webhook-timestamp", "x-webhook-topic", "shipbob-topic",
                                           "shipbob-subscription-id", "content-type", "user-agent"],
                             sealedBody: sealed, detail: ["topic": topic])
    }
}
