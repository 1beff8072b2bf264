import Foundation
import Testing
@testable import MotCuaCore

/// The hand JSON reader's parts: what it reads as `JSONDecoder` does, and where it gives up.
@Suite struct JSONReaderTests {
    func string(_ json: String) -> String? { JSONReader.read(json) { try $0.string() } }
    func int(_ json: String) -> Int? { JSONReader.read(json) { try $0.int() } }
    func double(_ json: String) -> Double? { JSONReader.read(json) { try $0.double() } }

    @Test func stringsAreUnescapedAsTheDecoderDoes() throws {
        let texts = [#""""#, #""Nguyễn Văn An""#, #""a\"b\\c\/d""#, #""\b\f\n\r\t""#, #""\u00e9\u0041\u0000""#,
                     #""\ud83c\uddfb\ud83c\uddf3""#, #""✅ 🇻🇳 \u2705 \u00C9""#]
        for json in texts {
            #expect(string(json) == (try JSONDecoder().decode(String.self, from: Data(json.utf8))), "\(json)")
        }
        // Given up: a lone or reversed surrogate, a bad escape, a raw control character, no closing quote.
        for json in [#""\ud83c""#, #""\udc00\ud83c""#, #""\x""#, "\"a\u{1}\"", #""abc"#, #""\u12G4""#, "\"\\u\u{10}\u{10}4\u{11}\""] {
            #expect(string(json) == nil, "\(json)")
        }
    }

    @Test func numbersInJSONFormOnly() {
        #expect(int("0") == 0 && int("-7") == -7 && int(" 42 ") == 42 && int("9223372036854775807") == Int.max)
        for json in ["", "-", "01", "+1", "1.0", "1e2", "9223372036854775808", "1x"] { #expect(int(json) == nil, "\(json)") }
        #expect(double("0") == 0 && double("-0.5") == -0.5 && double("818123456.789") == 818123456.789 && double("1e-7") == 1e-7)
        #expect(double("1.5e+3") == 1500 && double("2E-2") == 0.02 && double("-0.0") == 0)
        for json in ["", ".5", "+1", "01.5", "1e400", "-", "1.5.5", "1.", "0.", "1.e5", "1e", "1e+", "--1", "1-"] {
            #expect(double(json) == nil, "\(json)")
        }
        // The shortest form of a Double reads back as the same Double.
        var random = SplitMix64(seed: 2001)
        for _ in 0..<10_000 {
            let value = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (random.next() % 2 == 0 ? 1 : -1)
            #expect(double(value.description) == value, "\(value)")
        }
    }

    @Test func objectsArraysAndSkippedValues() {
        let json = #" { "a" : [ 1 , 2 ] , "b" : null , "c" : true , "skip" : { "x" : [ null , true , false , "s" , -1.5e2 , { } , [ ] ] } } "#
        let read = JSONReader.read(json) { reader -> ([Int], Bool?, Bool) in
            var a: [Int] = [], b: Bool? = false, c = false
            try reader.object { reader, key in
                switch key {
                case "a": a = try reader.array { try $0.int() }
                case "b": b = try reader.optional { try $0.bool() }
                case "c": c = try reader.bool()
                default: try reader.skip()
                }
            }
            return (a, b, c)
        }
        #expect(read?.0 == [1, 2] && read?.1 == nil && read?.2 == true)
        #expect(JSONReader.read(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) { try $0.skip() } != nil)
        // Given up: a missing comma or colon, a trailing comma, a bad literal, something after the value.
        // Keys out of order or repeated, and nesting past the decoder's limit, are given up too.
        for bad in [#"{"a" 1}"#, #"{"a":1 "b":2}"#, #"{"a":1,}"#, #"[1,]"#, #"{"a":nul}"#, #"{} {}"#, #"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#,
                    String(repeating: "[", count: 513) + String(repeating: "]", count: 513)] {
            #expect(JSONReader.read(bad) { try $0.skip() } == nil, "\(bad)")
        }
    }
}
