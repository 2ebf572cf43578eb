import XCTest
import WebhookCore

/// The hand-written encoder behind every state record and audit line: what it writes must
/// read back, field for field, through JSONValue.
final class JSONObjectWriterTests: XCTestCase {
    func testAnEmptyWriterIsAnEmptyObject() {
        XCTAssertEqual(String(decoding: JSONObjectWriter().bytes, as: UTF8.self), "{}")
    }

    func testFieldsAreWrittenInOrderWithNumbersAsJSONEncoderWritesThem() {
        var w = JSONObjectWriter()
        w.field("a", "x")
        w.field("absent", nil as String?)
        w.field("n", number: 42)
        w.field("neg", number: -7)
        w.field("zero", number: -0.0)
        w.field("frac", number: 12.5)
        w.field("big", number: 1e20)
        w.field("map", ["z": "1", "b": "2"])
        w.field("raw", raw: Array("[1,2]".utf8))
        w.field("hex") { $0 += Array("\"0x1F\"".utf8) }
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self),
                       #"{"a":"x","n":42,"neg":-7,"zero":0,"frac":12.5,"big":1e+20,"map":{"b":"2","z":"1"},"raw":[1,2],"hex":"0x1F"}"#)
    }

    func testEscapedStringsReadBackUnchanged() throws {
        let texts = ["plain", "", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1F}", "naïve – ünïcode 🚚", String(repeating: "long ", count: 100)]
        for t in texts {
            var w = JSONObjectWriter()
            w.field("k", t)
            XCTAssertEqual(try JSONValue.parse(w.bytes)["k"]?.string, t)
        }
    }

    func testAnObjectContinuedOntoABufferLeavesWhatItHeld() throws {
        var buffer = Array("[".utf8)
        for n in 1...2 {
            if n > 1 { buffer.append(UInt8(ascii: ",")) }
            var w = JSONObjectWriter(continuing: &buffer)
            w.field("n", number: Double(n))
            w.field("s", "x\(n)")
            w.finish(into: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self), #"[{"n":1,"s":"x1"},{"n":2,"s":"x2"}]"#)
    }
}
