#if canImport(Glibc)
import Glibc
#endif
import ConnectorKit
import WebhookCore
import Secrets

/// Every file that holds values sealed with the master key, and where in it each value is.
/// Files other programs replace whole (secrets.json, tokens/) are re-sealed by replacing
/// them whole too; files that only grow or never change once written (audit days, queue
/// items, hard-linked from the queue's ids/) are re-sealed in place: a value sealed again
/// has the same length, and an in-place write keeps the inode and its links.
struct SealedPlace {
    enum Layout {
        /// `secrets.json`: name -> value sealed under the name.
        case secrets
        /// `tokens/<name>.json`: the file is one value sealed under its file name.
        case token
        /// JSON Lines whose `personal` field is sealed (audit days).
        case auditLines
        /// A JSON document whose `sealed_body` is sealed under this context (queue items).
        case queueItem(context: String)
    }

    let path: String
    let layout: Layout

    var replacedWhole: Bool {
        switch layout {
        case .secrets, .token: return true
        case .auditLines, .queueItem: return false
        }
    }

    struct Value {
        /// Where the sealed text starts in the file (in-place layouts).
        let offset: Int
        let sealed: String
        let context: String
        /// For a person: the secret's name, or the line.
        let at: String
    }

    /// The values, and lines that could not be read for them (an audit line that is not JSON).
    func values() throws -> (values: [Value], unreadable: [String]) {
        let bytes = [UInt8](try Posix.readFile(path))
        switch layout {
        case .secrets:
            let file = try SecretsFile(path: path, bytes: bytes)
            return (file.names.map { name in
                Value(offset: 0, sealed: file.sealed[name]!, context: SecretsFile.context(name), at: "secret \(name)")
            }, [])
        case .token:
            return ([Value(offset: 0, sealed: String(decoding: bytes, as: UTF8.self), context: PathString(path).lastComponent, at: "token")], [])
        case .queueItem(let context):
            guard let json = try? JSONValue.parse(bytes) else { throw DataError(source: path, problem: "is not JSON; move it out of the queue to rotate") }
            guard let value = SealedPlace.locate(json["sealed_body"]?.string, in: bytes[...], context: context, at: "sealed_body") else {
                return ([], [])
            }
            return ([value], [])
        case .auditLines:
            var values: [Value] = [], unreadable: [String] = []
            var number = 0
            for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: false) {
                number += 1
                guard SealedPlace.mentionsPersonal(line) else { continue }
                guard let json = try? JSONValue.parse(Array(line)) else { unreadable.append("\(path):\(number): not JSON"); continue }
                if let v = SealedPlace.locate(json["personal"]?.string, in: line, context: SealContext.auditPersonal, at: "line \(number)") {
                    values.append(v)
                }
            }
            return (values, unreadable)
        }
    }

    private static let personalKey = Array("\"personal\"".utf8)

    private static func mentionsPersonal(_ line: ArraySlice<UInt8>) -> Bool {
        line.count >= personalKey.count && line.indices.dropLast(personalKey.count - 1).contains { i in
            line[i] == personalKey[0] && line[i..<(i + personalKey.count)].elementsEqual(personalKey)
        }
    }

    /// The value's offset in the file (a slice keeps the file's indices): the writers
    /// (JSONObjectWriter, JSONEncoder without slash escaping) put sealed text, which needs
    /// no escaping, between quotes as is.
    private static func locate(_ sealed: String?, in bytes: ArraySlice<UInt8>, context: String, at: String) -> Value? {
        guard let sealed else { return nil }
        let needle = Array(("\"" + sealed + "\"").utf8)
        guard needle.count <= bytes.count else { return nil }
        for i in bytes.startIndex...(bytes.endIndex - needle.count) where bytes[i] == needle[0] {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) {
                return Value(offset: i + 1, sealed: sealed, context: context, at: at)
            }
        }
        return nil
    }

    /// Every place in the state directory: each tenant's, then the audit of no tenant.
    static func all(_ layout: StateLayout) throws -> [SealedPlace] {
        var places: [SealedPlace] = []
        for name in try layout.tenantNames() {
            let tenant = layout.tenant(name)
            if Posix.exists(tenant.secrets) { places.append(SealedPlace(path: tenant.secrets, layout: .secrets)) }
            for file in try Posix.list(tenant.tokens).filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }).sorted() {
                places.append(SealedPlace(path: tenant.tokens / file, layout: .token))
            }
            places += try auditDays(tenant.audit)
            places += try queueItems(tenant.outbox("twilio"), context: SealContext.twilioOutbox)
            places += try queueItems(tenant.spool("twilio"), context: SealContext.twilioCallbacks)
            places += try queueItems(tenant.spool("shipbob"), context: SealContext.shipbobWebhooks)
        }
        return places + (try auditDays(layout.globalAudit))
    }

    private static func auditDays(_ dir: String) throws -> [SealedPlace] {
        try Posix.list(dir).filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
            .map { SealedPlace(path: dir / $0, layout: .auditLines) }
    }

    /// Each item once, by inode: through `ids/<id>` when linked there (every item put in
    /// the queue is, wherever it has moved since), else where it lies (parked directly).
    private static func queueItems(_ queue: SpoolQueue, context: String) throws -> [SealedPlace] {
        var seen = Set<[UInt64]>(), places: [SealedPlace] = []
        for state in [SpoolQueue.State.ids, .new, .cur, .done, .failed] {
            for id in try queue.list(state) {
                let path = queue.path(state, id)
                var st = stat()
                guard stat(path, &st) == 0, seen.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { continue }
                places.append(SealedPlace(path: path, layout: .queueItem(context: context)))
            }
        }
        return places
    }
}
