import Foundation
import MotCuaCore
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

    /// A dossier's state and applicant are written by hand, byte for byte as the stored-JSON
    /// encoder writes them, over random states that leave out or fill each field.
    @Test func aDossierStateIsWrittenAsTheEncoderWritesIt() throws {
        var random = SplitMix64(seed: 20261205)
        func instant() -> Date {
            // Whole seconds (".0" left out), milliseconds, and instants before 2001 (negative).
            switch random.next() % 3 {
            case 0: Date(timeIntervalSinceReferenceDate: Double(random.next() % 1_000_000_000))
            case 1: Date(timeIntervalSince1970: Double(random.next() % 4_000_000_000_000) / 1000)
            default: Date(timeIntervalSinceReferenceDate: -Double(random.next() % 100_000_000) / 7)
            }
        }
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.next() % 2 == 0 ? nil : value() }
        let texts = ["Điều lệ công ty", "Bản sao \\ \"CCCD\"", "a/b", "\u{0}\u{1f}\n", "✅ 🇻🇳", ""]
        for _ in 0..<2_000 {
            var state = DossierState(channel: Procedure.Channel.allCases[Int(random.next() % 3)], processVersion: Int(random.next() % 9),
                                     submittedAt: instant())
            state.status = DossierStatus.allCases[pick(DossierStatus.allCases.count)]
            (state.acceptedAt, state.countingFrom, state.appointment) = (maybe(instant()), maybe(instant()), maybe(instant()))
            (state.originalAppointment, state.statutoryDue, state.stepStartedAt) = (maybe(instant()), maybe(instant()), maybe(instant()))
            (state.stepDeadline, state.pausedSince, state.finishedAt) = (maybe(instant()), maybe(instant()), maybe(instant()))
            state.stepIndex = maybe(Int(random.next() % 12))
            state.resumeStatus = maybe(DossierStatus.allCases[pick(DossierStatus.allCases.count)])
            state.pauses = (0..<Int(random.next() % 3)).map { _ in DateInterval(start: instant(), duration: Double(random.next() % 900_000) / 3) }
            state.supplementRequests = Int(random.next() % 4)
            state.missingDocuments = (0..<Int(random.next() % 3)).map { _ in texts[pick(texts.count)] }
            state.apologies = Int(random.next() % 3)
            state.approved = random.next() % 2 == 0
            state.paymentDueVnd = maybe(Int(random.next() % 5_000_000))
            (state.paymentRequested, state.paidOnline) = (maybe(random.next() % 2 == 0), maybe(random.next() % 2 == 0))
            state.fees = maybe((0..<Int(random.next() % 3)).map { i in
                FeeLine(name: texts[i], item: maybe(texts[pick(texts.count)]), amountVnd: Int(random.next() % 1_000_000))
            })
            state.rating = maybe(Rating(level: Rating.Level.allCases[pick(Rating.Level.allCases.count)],
                                        comment: maybe(texts[pick(texts.count)])))
            let text = state.jsonText().text
            #expect(text == (try StoredJSON.text(state)))
            #expect(try JSONDecoder().decode(DossierState.self, from: Data(text.utf8)) == state)
            let applicant = Applicant(kind: random.next() % 2 == 0 ? .person : .organisation, fullName: texts[pick(texts.count)],
                                      citizenId: maybe("001190012345"), phone: maybe("0912345678"), email: maybe("a/b@vi-du.vn"),
                                      address: maybe(texts[pick(texts.count)]), organisationName: maybe("Công ty \"A\""),
                                      taxCode: maybe("0101234567"))
            #expect(applicant.jsonText().text == (try StoredJSON.text(applicant)))
        }
    }
}

