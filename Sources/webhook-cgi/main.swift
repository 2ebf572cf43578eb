// webhook-cgi: run by fcgiwrap for POST /webhooks/<tenant>/shipbob.
// Verifies the Standard Webhooks signature over the raw body, spools the delivery
// durably under its webhook-id (a redelivery is an atomic no-op), then answers.
// Nothing is acknowledged before it is on disk; every refusal is one audit line.
// Exit status is always 0 once a response is written: the HTTP status is the answer.
// Built on WebhookCore alone (no Foundation): it lives for one request.
import WebhookCore
#if canImport(Glibc)
import Glibc
#endif

var handler = WebhookHandler(request: CGIRequest.fromProcess(), stateRoot: StateRoot.resolve(), now: UTC.now())
handler.handle().write()
exit(0)
