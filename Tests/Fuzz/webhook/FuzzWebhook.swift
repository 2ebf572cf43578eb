import Foundation
import WebhookCore

/// webhook-cgi's whole decision (route, tenant, method, size, signature, form, spool) run
/// in-process on one request per input, against a tenant whose ShipBob secret and Twilio
/// auth token only this harness knows. No crash, no hang, and no 200 for a source the
/// harness did not sign: the fuzzer cannot compute an HMAC, so any other 200 is a forgery
/// accepted.
///
/// Input: a flag byte (bit 0: sign as ShipBob, bit 1: sign as Twilio, over whatever the
/// rest says), then `METHOD TARGET`, header lines `name: value`, a blank line, the body,
/// all separated by `\n`. CONTENT_LENGTH is the body's length unless a `content-length`
/// header says otherwise (so the fuzzer can also lie about it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let flag = bytes.first else { return 0 }
    var request = FuzzRequest(Array(bytes.dropFirst()))
    let signedShipBob = flag & 1 == 1 && request.signAsShipBob()
    let signedTwilio = flag & 2 == 2 && request.signAsTwilio()

    let state = FuzzState.shared
    state.load(body: request.body)
    var handler = WebhookHandler(request: CGIRequest(environment: request.environment), layout: StateLayout(root: state.root),
                                 now: FuzzState.now, bodyFD: state.bodyFD)
    let response = handler.handle()
    if response.status == 200 {
        let source = request.path.split(separator: "/").last.map(String.init)
        let signed = (source == "shipbob" && signedShipBob) || (source == "twilio" && signedTwilio)
        if !signed { fatalError("webhook-cgi accepted a request the harness did not sign: \(request.environment)") }
    }
    state.sweepNowAndThen()
    return 0
}

struct FuzzRequest {
    var method = "", target = "", headers: [(name: String, value: String)] = [], body: [UInt8] = []

    init(_ bytes: [UInt8]) {
        let blank = (0..<max(bytes.count - 1, 0)).first { bytes[$0] == 0x0a && bytes[$0 + 1] == 0x0a }
        let head = String(decoding: bytes[..<(blank ?? bytes.count)], as: UTF8.self)
        if let blank { body = Array(bytes[(blank + 2)...]) }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        let requestLine = (lines.next() ?? "").split(separator: " ", maxSplits: 1)
        method = requestLine.first.map(String.init) ?? ""
        target = requestLine.count > 1 ? String(requestLine[1]) : ""
        while let line = lines.next() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard let name = parts.first else { continue }
            headers.append((name.lowercased(), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : ""))
        }
    }

    var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "") }
    var query: String? {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts[1]) : nil
    }
    func header(_ name: String) -> String? { headers.last { $0.name == name }?.value }
    mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name == name }
        headers.append((name, value))
    }
    var contentLength: String { header("content-length") ?? String(body.count) }

    /// What the handler will read as the body: CONTENT_LENGTH bytes, if there are that many.
    var readableBody: [UInt8]? {
        guard let n = Int(contentLength), n >= 0, n <= body.count else { return nil }
        return Array(body.prefix(n))
    }

    /// As ShipBob would: the true v1 signature over webhook-id, webhook-timestamp (now, if
    /// the input's is not a number) and the body, after whatever signatures the input holds.
    mutating func signAsShipBob() -> Bool {
        guard let body = readableBody, let verifier = try? StandardWebhooks(secret: FuzzState.shipbobSecret) else { return false }
        let timestamp = header("webhook-timestamp").flatMap { Int64($0) } ?? Int64(FuzzState.now)
        if header("webhook-timestamp").flatMap({ Int64($0) }) == nil { setHeader("webhook-timestamp", String(timestamp)) }
        let signature = verifier.signature(id: header("webhook-id") ?? "", timestamp: timestamp, body: body)
        setHeader("webhook-signature", (header("webhook-signature").map { $0 + " " } ?? "") + signature)
        return true
    }

    /// As Twilio would: over the configured callback URL (with the request's query) and the form.
    mutating func signAsTwilio() -> Bool {
        guard let body = readableBody, let form = try? FormURLEncoded.decode(body) else { return false }
        let url = FuzzState.twilioSettings.signedURL(queryString: query)
        setHeader("x-twilio-signature", TwilioSignature.expected(authToken: FuzzState.twilioToken, url: url, parameters: form))
        return true
    }

    /// The CGI meta-variables fcgiwrap would pass.
    var environment: [String: String] {
        var env = ["REQUEST_METHOD": method, "REQUEST_URI": target, "CONTENT_LENGTH": contentLength]
        if let query { env["QUERY_STRING"] = query }
        for (name, value) in headers where name != "content-length" {
            if name == "content-type" { env["CONTENT_TYPE"] = value; continue }
            env["HTTP_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })] = value
        }
        return env
    }
}

/// A state directory with tenant `acme` as `ml-connector init` and `secret set` leave it,
/// on tmpfs where there is one (the spool fsyncs every accepted delivery).
final class FuzzState {
    static let now = 1_700_000_000
    static let shipbobSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let twilioToken = "fuzz-twilio-auth-token"
    static let callbackURL = "https://connector.example.com/webhooks/acme/twilio"
    static let config = #"{"twilio": {"status_callback_url": "\#(callbackURL)"}, "webhook": {"max_body_bytes": 65536}}"#
    static let twilioSettings = try! TwilioCallbackSettings.load(config: ConfigDocument(path: "config.json", root: try! JSONValue.parse(Array(config.utf8))))
    nonisolated(unsafe) static let shared = FuzzState()

    let root: String
    let bodyFD: Int32
    private var runs = 0
    private var tenant: String { root + "/tenants/acme" }

    private init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let root = base + "/ml-connector-fuzz-\(getpid())"
        self.root = root
        let fm = FileManager.default
        try! fm.createDirectory(atPath: root + "/tenants/acme", withIntermediateDirectories: true)
        let key = Crypto.randomBytes(32)
        func create(_ path: String, _ contents: Data, mode: Int = 0o640) {
            precondition(fm.createFile(atPath: root + path, contents: contents, attributes: [.posixPermissions: mode]), "cannot write \(path)")
        }
        create("/master.key", Data(key), mode: 0o600)
        let secrets = [
            SecretName.shipbobWebhookSecret: try! Sealed.seal(Array(FuzzState.shipbobSecret.utf8), key: key, context: SecretName.shipbobWebhookSecret),
            SecretName.twilioAuthToken: try! Sealed.seal(Array(FuzzState.twilioToken.utf8), key: key, context: SecretName.twilioAuthToken),
        ]
        create("/tenants/acme/secrets.json", try! JSONSerialization.data(withJSONObject: secrets))
        create("/tenants/acme/config.json", Data(FuzzState.config.utf8))
        bodyFD = open(root + "/body", O_RDWR | O_CREAT | O_TRUNC, 0o600)
        precondition(bodyFD >= 0, "cannot open the body file")
        makeSpool()
        // Gone at exit: libFuzzer ends a session with exit(), which runs atexit handlers.
        atexit { try? FileManager.default.removeItem(atPath: FuzzState.shared.root) }
    }

    private func makeSpool() {
        for source in ["shipbob", "twilio"] {
            for dir in ["tmp", "ids", "new"] {
                try! FileManager.default.createDirectory(atPath: "\(tenant)/spool/\(source)/\(dir)", withIntermediateDirectories: true)
            }
        }
    }

    /// The next request's body, read from the start by the handler.
    func load(body: [UInt8]) {
        ftruncate(bodyFD, 0)
        _ = body.withUnsafeBytes { pwrite(bodyFD, $0.baseAddress, body.count, 0) }
        lseek(bodyFD, 0, SEEK_SET)
    }

    /// Every request appends an audit line and may spool one: start afresh every thousand
    /// runs so a long session does not fill the disk.
    func sweepNowAndThen() {
        runs += 1
        guard runs % 1000 == 0 else { return }
        for dir in [root + "/audit", tenant + "/audit", tenant + "/spool"] { try? FileManager.default.removeItem(atPath: dir) }
        makeSpool()
    }
}
