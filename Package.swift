// swift-tools-version:6.0
import PackageDescription

/// Few dependencies on purpose: the connector's own executables need only the
/// system libraries (libcurl, libcrypto) and swift-argument-parser; Hummingbird
/// is linked into `ml-sandbox` alone.
/// The jobs' release builds are not position-independent: a PIE's ~40,000 relative
/// relocations write into ~1 MB of its data at every start, one page fault each 4 KB, which
/// was a quarter of an idle pass (docs/benchmarks.md, "Start-up"; SECURITY.md says what ASLR this gives up).
/// And lld puts the functions an idle pass runs (scripts/startup.order, written by
/// scripts/startup-order) side by side: the kernel maps text in 64 KB windows, and scattered
/// through 20 MB of program they made a third of a pass's peak RSS.
let startupOrder = String(#filePath.dropLast("Package.swift".count)) + "scripts/startup.order"
let jobLinking: [LinkerSetting] = [.unsafeFlags([
    "-Xclang-linker", "-no-pie", "-use-ld=lld",
    "-Xlinker", "--symbol-ordering-file=\(startupOrder)", "-Xlinker", "--no-warn-symbol-ordering",
], .when(configuration: .release))]

let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "webhook-cgi", targets: ["webhook-cgi"]),
        .executable(name: "shipbob-to-syspro", targets: ["shipbob-to-syspro"]),
        .executable(name: "ml-connector", targets: ["ml-connector"]),
        .executable(name: "ml-sandbox", targets: ["ml-sandbox"]),
        .executable(name: "poll-syspro-inventory", targets: ["poll-syspro-inventory"]),
        .executable(name: "push-shipbob-inventory", targets: ["push-shipbob-inventory"]),
        .executable(name: "inventory-variance", targets: ["inventory-variance"]),
        .executable(name: "syspro-to-hubspot", targets: ["syspro-to-hubspot"]),
        .executable(name: "po-alerts-twilio", targets: ["po-alerts-twilio"]),
        .executable(name: "hubspot-to-syspro", targets: ["hubspot-to-syspro"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        // Already in Hummingbird's graph; named here because the sandbox imports them directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // Headers only: libcurl is dlopen'ed on the first request (Sources/CCurl/shim.h).
        .systemLibrary(name: "CCurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLinux"),

        // The webhook path's core: no Foundation, so webhook-cgi starts like a C program.
        .target(name: "WebhookCore", dependencies: ["COpenSSL", "CLinux"]),
        // The system's tz database read without Foundation's ICU (docs/benchmarks.md, "Start-up").
        .target(name: "TimeZones", dependencies: ["WebhookCore"]),
        // State on disk: atomic files, locks, queues, ledgers, audit, run records, the master key.
        .target(name: "ConnectorKit", dependencies: ["WebhookCore", "CLinux"]),
        // A tenant's config.json: the file, the generic checks and the sections every job shares.
        .target(name: "ConnectorConfig", dependencies: ["ConnectorKit", "WebhookCore"]),
        // What is sealed at rest under the master key: secrets.json, tokens/, seal contexts.
        .target(name: "Secrets", dependencies: ["ConnectorKit", "WebhookCore"]),
        // SYSPRO e.net's XML: a tolerant reader and an escaper, shared by the client and the sandbox.
        .target(name: "ENetXML", dependencies: ["ConnectorKit"]),
        .target(name: "ConnectorNet", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "CCurl", "TimeZones", "ENetXML"]),
        .target(name: "Syspro", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet", "TimeZones", "ENetXML"]),
        .target(name: "ShipBob", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet"]),
        .target(name: "HubSpot", dependencies: ["ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "TimeZones"]),
        .target(name: "Twilio", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet"]),
        // What the three inventory jobs share: SYSPRO's levels in state, the catalogue diff,
        // the variance check. Here rather than in an executable so JobTests can drive it.
        .target(name: "Inventory", dependencies: ["ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "Syspro", "ShipBob"]),
        // What going live needs beyond the jobs: the probe of every vendor assumption and
        // mapping discovery, with their reports.
        .target(name: "GoLive", dependencies: [
            "ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "Syspro", "ShipBob", "HubSpot", "Twilio", "Fulfillment", "Alerts",
        ]),
        // A person's HubSpot edits of customer class or terms, written back to SYSPRO.
        .target(name: "CustomerWriteBack", dependencies: ["ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "Syspro", "HubSpot"]),
        // ShipBob -> SYSPRO: orders, shipments, receipts and the reconcile of what webhooks missed.
        .target(name: "Fulfillment", dependencies: ["ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "Syspro", "ShipBob"]),
        // SYSPRO customers and invoices -> HubSpot companies, contacts, invoices and line items.
        .target(name: "HubSpotSync", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet", "Syspro", "HubSpot"]),
        // SYSPRO changes -> SMS alerts through Twilio, and their delivery reports.
        .target(name: "Alerts", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "ConnectorNet", "WebhookCore", "Syspro", "Twilio"]),
        .target(name: "JobCLI", dependencies: [
            "ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Sandbox", dependencies: [
            "ConnectorKit", "WebhookCore", "TimeZones", "ENetXML",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Spawned once per request by fcgiwrap: WebhookCore only (no Foundation, no
        // libcurl), linked as a fully static executable: no dynamic loader, relocations
        // or symbol lookups at start (5.4 of 11 million instructions per request went there).
        .executableTarget(name: "webhook-cgi", dependencies: ["WebhookCore"],
                          linkerSettings: [
                              .unsafeFlags(["-static-executable"]),
                              .unsafeFlags(["-Xlinker", "-s"], .when(configuration: .release)),
                          ]),
        .executableTarget(name: "shipbob-to-syspro", dependencies: [
            "ConnectorKit", "JobCLI", "ConnectorNet", "Syspro", "ShipBob", "Fulfillment",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "poll-syspro-inventory", dependencies: [
            "ConnectorKit", "WebhookCore", "JobCLI", "ConnectorNet", "Syspro", "Inventory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "push-shipbob-inventory", dependencies: [
            "ConnectorKit", "WebhookCore", "JobCLI", "ConnectorNet", "ShipBob", "Inventory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "inventory-variance", dependencies: [
            "ConnectorKit", "JobCLI", "ConnectorNet", "Syspro", "ShipBob", "Inventory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "syspro-to-hubspot", dependencies: [
            "ConnectorKit", "WebhookCore", "JobCLI", "ConnectorNet", "Syspro", "HubSpot", "HubSpotSync",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "po-alerts-twilio", dependencies: [
            "ConnectorKit", "JobCLI", "ConnectorNet", "Alerts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "hubspot-to-syspro", dependencies: [
            "ConnectorKit", "WebhookCore", "JobCLI", "ConnectorNet", "Syspro", "HubSpot", "CustomerWriteBack", "TimeZones",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "ml-connector", dependencies: [
            "ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "JobCLI", "ConnectorNet", "Syspro", "ShipBob", "HubSpot", "Twilio", "Alerts", "GoLive",
            "ENetXML",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: jobLinking),
        .executableTarget(name: "ml-sandbox", dependencies: [
            "Sandbox", "ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet", "JobCLI", "TimeZones", "Syspro", "ShipBob", "HubSpot", "Twilio",
            "Alerts", "GoLive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ConnectorKitTests", dependencies: [
            "ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "GoLive", "TimeZones", "Syspro", "ShipBob", "HubSpot", "Twilio", "Alerts", "Fulfillment",
        ]),
        .testTarget(name: "ClientTests", dependencies: [
            "ConnectorKit", "ConnectorConfig", "Secrets", "WebhookCore", "ConnectorNet", "Syspro", "ShipBob", "Sandbox", "Twilio", "TimeZones", "ENetXML",
        ]),
        .testTarget(name: "JobTests", dependencies: [
            "Fulfillment", "HubSpotSync", "Alerts", "ConnectorKit", "ConnectorConfig", "WebhookCore", "ConnectorNet", "Syspro", "ShipBob", "Inventory",
            "HubSpot", "Twilio", "CustomerWriteBack", "ENetXML",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["ConnectorKit", "ConnectorConfig", "Secrets", "GoLive", "WebhookCore"]),
    ]
)
