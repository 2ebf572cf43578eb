import ConnectorKit
import HubSpot
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What to do with one HubSpot property of one company against its SYSPRO customer. Pure, so
/// the rule is pinned by unit tests apart from any vendor.
///
/// The rule (docs/architecture.md, "Data flow of each job"): only a person's edit is written
/// back, and only if it is HubSpot's latest word. SYSPRO is unchanged since the two systems
/// last agreed if it holds the value the connector last synced into HubSpot (the newest
/// non-person entry before the edit) or a value the connector itself wrote back from an
/// earlier edit; then only HubSpot changed and the edit wins.
/// If SYSPRO changed too, the later change wins, and where SYSPRO's change time cannot be
/// read SYSPRO keeps its value: an ERP's record is not overwritten on a guess.
public enum WriteBackDecision: Equatable, Sendable {
    /// Nothing to write: no person's edit is the latest word, or both already agree.
    case none
    /// Write the person's value to SYSPRO.
    case write(value: String, edit: PropertyChange)
    /// The person's edit stands in HubSpot but SYSPRO keeps its own value.
    case keepSyspro(reason: String, edit: PropertyChange)

    /// `history` newest first; `sysproChangedAt` in seconds since the epoch, nil if unknown;
    /// `writtenBack` the values of earlier edits the connector sent to SYSPRO.
    public static func decide(history: [PropertyChange], sysproValue: String, sysproChangedAt: Double?,
                              personSources: Set<String>, writtenBack: Set<String> = []) -> WriteBackDecision {
        guard let edit = history.first, personSources.contains(edit.sourceType) else { return .none }
        let value = edit.value.trimmed
        guard value != sysproValue.trimmed else { return .none }
        guard !value.isEmpty else {
            return .keepSyspro(reason: "the HubSpot value was cleared; SYSPRO needs a code and keeps \"\(sysproValue)\"", edit: edit)
        }
        let agreed = history.dropFirst().first { !personSources.contains($0.sourceType) }?.value.trimmed
        if agreed == sysproValue.trimmed || writtenBack.contains(sysproValue.trimmed) { return .write(value: value, edit: edit) }
        guard let changed = sysproChangedAt else {
            return .keepSyspro(reason: "SYSPRO changed it too (\"\(agreed ?? "?")\" -> \"\(sysproValue)\") and its change time is unknown (no amendment journal)", edit: edit)
        }
        if changed * 1000 < Double(edit.at) { return .write(value: value, edit: edit) }
        return .keepSyspro(reason: "SYSPRO changed it later (\"\(sysproValue)\" at \(Timestamp.iso8601(Date(timeIntervalSince1970: changed))))", edit: edit)
    }
}
