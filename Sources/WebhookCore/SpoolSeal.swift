/// Webhook bodies name people (a ShipBob order's recipient, address, phone and email; a
/// Twilio callback's To and From), so webhook-cgi spools them sealed with the master key
/// (`sealed_body`), each source under its own associated data, which the jobs open with.
public enum SpoolSeal {
    public static func context(_ source: String) -> String { "spool." + source }
}
