import Foundation
import SQLiteKit
import Testing
@testable import MotCuaStore

/// How digests, tokens, event data and bound values are written.
@Suite struct StoredFormatsTests {
    @Test func hexIsTwoLowerCaseDigitsPerByte() {
        #expect([UInt8]().hex == "")
        #expect([0x00, 0x0f, 0x10, 0xa0, 0xff].hex == "000f10a0ff")
        #expect((0...255).map(UInt8.init).hex == (0...255).map { String($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }

    /// Event data is written by hand, byte for byte as the stored-JSON encoder writes it.
    @Test(arguments: [
        [:],
        ["reason": "Thiếu bản sao giấy khai sinh"],
        ["z": "1", "a": "2", "Ă": "3", "B": "4", "a.b": "/path/ok"],
        ["quote": "say \"hi\"", "back\\slash": "\\", "controls": "\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f} \u{7f}"],
        ["emoji": "✅ 🇻🇳", "": ""],
    ] as [[String: String]])
    func eventDataIsWrittenAsTheEncoderWritesIt(fields: [String: String]) throws {
        #expect(StoredJSON.object(fields) == (try StoredJSON.text(fields)))
        #expect(try JSONDecoder().decode([String: String].self, from: Data(StoredJSON.object(fields).utf8)) == fields)
    }

    /// Bound values take a shorter way to SQLite than SQLiteKit's encoder, and arrive the same.
    @Test func boundValuesArriveAsSQLiteKitWouldSendThem() throws {
        let values: [any Encodable & Sendable] = [
            "", "Hà Nội", 0, -7, Int.max, Int64(42), Int64.min, true, false,
            String?.none, String?.some("x"), Int64?.none, Int64?.some(5), Int?.none, Int?.some(-3), Bool?.some(true),
            Double?.none, 1.5, Double?.some(2.5), Int32(9), ["nested": 1],
        ]
        for value in values {
            #expect(try SQLiteHandleDatabase.data(value) == SQLiteDataEncoder().encode(value), "\(value)")
        }
    }

    /// Plain columns are read a shorter way than SQLiteKit's decoder, and give what it gives.
    @Test func plainColumnsAreReadAsSQLiteKitWouldDecodeThem() throws {
        let values: [SQLiteData] = [.text(""), .text("Nguyễn Văn An"), .integer(0), .integer(1), .integer(-7), .integer(Int.max),
                                    .null, .float(1.5), .blob(ByteBuffer(string: "x"))]
        func check<D: Decodable & Equatable>(_ type: D.Type, takes: (SQLiteData) -> Bool) {
            for value in values {
                let plain = SQLiteResultRow.plain(value, as: D.self)
                let decoded = try? SQLiteDataDecoder().decode(D.self, from: value)
                #expect((plain != nil) == takes(value), "\(D.self) from \(value): the short way is taken where it should be")
                if let plain { #expect(plain == decoded, "\(D.self) from \(value)") }
            }
        }
        func text(_ v: SQLiteData) -> Bool { if case .text = v { true } else { false } }
        func integer(_ v: SQLiteData) -> Bool { if case .integer = v { true } else { false } }
        func flag(_ v: SQLiteData) -> Bool { v == .integer(0) || v == .integer(1) }
        check(String.self, takes: text)
        check(String?.self) { text($0) || $0 == .null }
        check(Int.self, takes: integer)
        check(Int?.self) { integer($0) || $0 == .null }
        check(Int64.self, takes: integer)
        check(Int64?.self) { integer($0) || $0 == .null }
        check(Bool.self, takes: flag)
        check(Bool?.self) { flag($0) || $0 == .null }
        check(Double.self) { _ in false }
    }
}
