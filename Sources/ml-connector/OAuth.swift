import ArgumentParser
import ConnectorKit
import ConnectorNet
import GoLive
import JobCLI
import ShipBob
import WebhookCore
import ConnectorConfig
import Secrets

struct OAuth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth",
        abstract: "Authorize the connector at a vendor that uses OAuth (ShipBob).",
        subcommands: [ShipBobGrant.self])

    struct ShipBobGrant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shipbob",
            abstract: "Get ShipBob OAuth tokens: print the authorize URL, then exchange the code it gives.",
            discussion: """
            Needs shipbob.client_id and shipbob.token_url in config.json and the secret shipbob_client_secret. \
            Two steps, because a person approves in a browser in between:

            1. With --redirect-uri (the callback registered for the ShipBob app): prints the authorize URL \
            (authorization code with PKCE S256; scopes \(ShipBobFacts.oauthScopes.joined(separator: " "))). \
            The PKCE verifier and state wait sealed in tokens/\(ShipBobFacts.oauthPendingName).json.
            2. Open the URL as the ShipBob account's root user and approve. ShipBob sends the browser to the \
            redirect URI with ?code=...&state=...; pass the code, or that whole URL, to --code. The tokens are \
            exchanged at shipbob.token_url and sealed in tokens/\(ShipBobFacts.oauthTokenName).json (the refresh \
            token also as the secret shipbob_refresh_token); jobs use them when shipbob.auth is "oauth".

            Examples:
              ml-connector oauth shipbob --tenant acme --redirect-uri https://x.example/cb
              ml-connector oauth shipbob --code 'https://x.example/cb?code=5A1F&state=Qx'
              ml-connector oauth shipbob --tenant acme --code 5A1F... --dry-run

            Exit status: 0 ok, 64 usage (no authorization started, missing --redirect-uri), 65 the redirect's \
            state is not this authorization's, 69 ShipBob unreachable, 78 configuration (client id, token URL, \
            client secret) or ShipBob refused the code (expired, used, or another app's).
            """)

        @OptionGroup var common: CommonOptions
        @Option(help: "The redirect URI registered for the ShipBob app (step 1).") var redirectUri: String?
        @Option(help: "The code ShipBob's redirect carried, or the whole redirect URL (step 2).") var code: String?
        @Flag(help: "Print the URL or the exchange that would be made; store nothing.") var dryRun = false

        func run() throws {
            guarded("ml-connector") {
                let tenant = try common.tenantPaths()
                guard Posix.exists(tenant.config) else {
                    throw UsageError(message: "tenant \(tenant.name) does not exist in \(common.layout.tenantsDirectory)")
                }
                let vendors = try VendorContext(common)
                let config = vendors.config
                let pending = SealedFile<ShipBobAuthorization>(path: tenant.token(ShipBobFacts.oauthPendingName), key: try vendors.secrets().key)
                if let code {
                    try exchange(code, vendors: vendors, pending: pending)
                } else {
                    try authorize(tenant: tenant, config: config, pending: pending)
                }
            }
        }

        func authorize(tenant: TenantPaths, config: TenantConfig, pending: SealedFile<ShipBobAuthorization>) throws {
            guard let redirectUri else {
                throw UsageError(message: "give --redirect-uri (the callback registered for the ShipBob app) to start, or --code to finish")
            }
            let authorization = ShipBobAuthorization.start(redirectURI: redirectUri)
            let url = try authorization.authorizeURL(config.shipbob, config: tenant.config)
            if !dryRun { try pending.save(authorization) }
            print(dryRun ? "would ask ShipBob to authorize tenant \(tenant.name) at (nothing stored; this URL's verifier is discarded):"
                         : "open this URL as the ShipBob account's root user and approve:")
            print(url)
            if !dryRun {
                print("then: ml-connector oauth shipbob --tenant \(tenant.name) --code '<the code, or the URL ShipBob redirected to>'")
            }
        }

        func exchange(_ pasted: String, vendors: VendorContext, pending: SealedFile<ShipBobAuthorization>) throws {
            let tenant = vendors.tenant, config = vendors.config
            guard let authorization = try pending.load() else {
                throw UsageError(message: "no ShipBob authorization started for tenant \(tenant.name) (\(pending.path)); "
                                 + "run `ml-connector oauth shipbob --tenant \(tenant.name) --redirect-uri URI` first")
            }
            let (code, state) = try ShipBobAuthorization.code(fromPasted: pasted)
            if let state, state != authorization.state {
                throw DataError(source: "--code", problem: "the redirect's state is not the one of the authorization started "
                                + "\(Timestamp.iso8601(authorization.started)) for tenant \(tenant.name); start again")
            }
            if let redirectUri, redirectUri != authorization.redirectURI {
                throw UsageError(message: "--redirect-uri \(redirectUri) differs from \(authorization.redirectURI), which the authorization was started with")
            }
            if dryRun {
                print("would exchange the code at \(config.shipbob.tokenURL ?? "(shipbob.token_url unset)") for tenant \(tenant.name), "
                      + "client \(config.shipbob.clientID ?? "(shipbob.client_id unset)"), redirect \(authorization.redirectURI)")
                return
            }
            let secrets = try vendors.secrets()
            let auth = try vendors.shipbobAuth()
            let tokens = try auth.exchange(code: code, authorization: authorization)
            try secrets.set(SecretName.shipbobRefreshToken, value: tokens.refreshToken)
            try pending.remove()
            try AuditLog(directory: tenant.audit, job: "ml-connector").record(AuditEntry(
                action: "oauth", source: "shipbob", id: config.shipbob.clientID ?? "-", outcome: "authorized",
                detail: ["who": Environment.nonEmpty("USER") ?? "unknown"]), durable: true)
            print("ShipBob authorized tenant \(tenant.name): tokens sealed in \(tenant.token(ShipBobFacts.oauthTokenName)), "
                  + "access token valid until \(Timestamp.iso8601(tokens.expiresAt))")
            if config.shipbob.auth != .oauth {
                print("note: \(tenant.config) has shipbob.auth \"\(config.shipbob.auth.rawValue)\"; set it to \"oauth\" for the jobs to use these tokens")
            }
        }
    }
}
