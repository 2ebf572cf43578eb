// webhook-cgi: run by fcgiwrap for POST /webhooks/<tenant>/shipbob and /webhooks/<tenant>/twilio.
// ShipBob: the Standard Webhooks signature over the raw body, spooled under its webhook-id.
// Twilio: X-Twilio-Signature over twilio.status_callback_url (the configured public URL,
// never what nginx reports) and the form, with the twilio_auth_token secret; spooled sealed
// (the form names phone numbers) under <MessageSid>.<MessageStatus>.
// A repeated id is an atomic no-op; nothing is acknowledged before it is on disk; every
// answer is one audit line. Exit status is always 0 once a response is written: the HTTP
// status is the answer. Built on WebhookCore alone (no Foundation): it lives for one request.
import WebhookCore
#if canImport(Glibc)
import Glibc
#endif

let layout = StateLayout.resolve()
KeyLock.holdShared(layout)
var handler = WebhookHandler(request: CGIRequest.fromProcess(), layout: layout, now: UTC.now())
handler.handle().write()
exit(0)
