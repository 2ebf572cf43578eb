// ConnectorKit is linked into webhook-cgi, which is spawned per request: it uses
// FoundationEssentials (no ICU, no libxml2, no libcurl) wherever the toolchain has it.
@_exported import WebhookCore
#if canImport(FoundationEssentials)
@_exported import FoundationEssentials
#else
@_exported import Foundation
#endif
