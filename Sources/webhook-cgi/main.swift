// webhook-cgi: run by fcgiwrap for POST /webhooks/<tenant>/shipbob.
// Verifies the Standard Webhooks signature over the raw body, spools the delivery
// durably under its webhook-id (a redelivery is an atomic no-op), then answers.
// Nothing is acknowledged before it is on disk; every refusal is one audit line.
// Exit status is always 0 once a response is written: the HTTP status is the answer.
import ConnectorKit
#if canImport(Glibc)
import Glibc
#endif

let request = CGIRequest.fromProcess()
let state = StateLayout.resolve()
var handler = WebhookHandler(request: request, state: state, now: Date())
let response = handler.handle()
response.write()
exit(0)
