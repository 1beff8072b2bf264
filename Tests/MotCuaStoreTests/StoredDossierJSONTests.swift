import Foundation
import MotCuaCore
import Testing
@testable import MotCuaStore

/// A dossier's state and applicant are written and read by hand: written byte for byte as the
/// stored-JSON encoder writes them, and read as `JSONDecoder` reads them, over random states that
/// leave out or fill each field, and over texts changed in the ways the reader must get right or
/// leave to the decoder.
@Suite struct StoredDossierJSONTests {
    /// Random dossier parts, the same every run.
    struct Parts {
        var random: SplitMix64
        let texts = ["Điều lệ công ty", "Bản sao \\ \"CCCD\"", "a/b", "\u{0}\u{1f}\n", "✅ 🇻🇳", "é", ""]

        mutating func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        mutating func text() -> String { texts[pick(texts.count)] }
        mutating func maybe<T>(_ value: (inout Parts) -> T) -> T? { random.next() % 2 == 0 ? nil : value(&self) }

        /// Whole seconds (".0" left out), milliseconds, and instants before 2001 (negative).
        mutating func instant() -> Date {
            switch random.next() % 3 {
            case 0: Date(timeIntervalSinceReferenceDate: Double(random.next() % 1_000_000_000))
            case 1: Date(timeIntervalSince1970: Double(random.next() % 4_000_000_000_000) / 1000)
            default: Date(timeIntervalSinceReferenceDate: -Double(random.next() % 100_000_000) / 7)
            }
        }

        mutating func state() -> DossierState {
            var state = DossierState(channel: Procedure.Channel.allCases[pick(3)], processVersion: pick(9), submittedAt: instant())
            state.status = DossierStatus.allCases[pick(DossierStatus.allCases.count)]
            (state.acceptedAt, state.countingFrom, state.appointment) = (maybe { $0.instant() }, maybe { $0.instant() }, maybe { $0.instant() })
            (state.originalAppointment, state.statutoryDue) = (maybe { $0.instant() }, maybe { $0.instant() })
            (state.stepStartedAt, state.stepDeadline) = (maybe { $0.instant() }, maybe { $0.instant() })
            (state.pausedSince, state.finishedAt) = (maybe { $0.instant() }, maybe { $0.instant() })
            state.stepIndex = maybe { $0.pick(12) }
            state.resumeStatus = maybe { DossierStatus.allCases[$0.pick(DossierStatus.allCases.count)] }
            state.pauses = (0..<pick(3)).map { _ in DateInterval(start: instant(), duration: Double(pick(900_000)) / 3) }
            state.supplementRequests = pick(4)
            state.missingDocuments = (0..<pick(3)).map { _ in text() }
            state.apologies = pick(3)
            state.approved = pick(2) == 0
            state.paymentDueVnd = maybe { $0.pick(5_000_000) }
            (state.paymentRequested, state.paidOnline) = (maybe { $0.pick(2) == 0 }, maybe { $0.pick(2) == 0 })
            state.fees = maybe { parts in
                (0..<parts.pick(3)).map { i in FeeLine(name: parts.texts[i], item: parts.maybe { $0.text() }, amountVnd: parts.pick(1_000_000)) }
            }
            state.rating = maybe { parts in
                Rating(level: Rating.Level.allCases[parts.pick(Rating.Level.allCases.count)], comment: parts.maybe { $0.text() })
            }
            return state
        }

        mutating func applicant() -> Applicant {
            Applicant(kind: pick(2) == 0 ? .person : .organisation, fullName: text(), citizenId: maybe { _ in "001190012345" },
                      phone: maybe { _ in "0912345678" }, email: maybe { _ in "a/b@vi-du.vn" }, address: maybe { $0.text() },
                      organisationName: maybe { _ in "Công ty \"A\"" }, taxCode: maybe { _ in "0101234567" })
        }
    }

    @Test func aDossierStateAndApplicantAreWrittenAndReadAsTheCodecsDo() throws {
        var parts = Parts(random: SplitMix64(seed: 20261205))
        for _ in 0..<2_000 {
            let state = parts.state()
            let text = state.jsonText().text
            #expect(text == (try StoredJSON.text(state)))
            #expect(try JSONDecoder().decode(DossierState.self, from: Data(text.utf8)) == state)
            #expect(DossierState(storedJSON: text) == state)
            let applicant = parts.applicant()
            let applicantText = applicant.jsonText().text
            #expect(applicantText == (try StoredJSON.text(applicant)))
            #expect(Applicant(storedJSON: applicantText) == applicant)
        }
    }

    /// Texts the encoder would not write (other spacing, order, escapes and number forms, unknown
    /// or null keys, keys missing, cut short): the reader gives what the decoder gives, or gives up
    /// and the decoder answers; never another value, never a value where the decoder fails.
    @Test func aChangedTextIsReadAsTheDecoderReadsIt() throws {
        var parts = Parts(random: SplitMix64(seed: 766))
        let pretty = JSONEncoder(), unsorted = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        /// `byHand`: a change the hand reader must read itself, not leave to the decoder.
        func check(_ text: String, _ change: String, byHand: Bool = false) {
            let decoded = try? JSONDecoder().decode(DossierState.self, from: Data(text.utf8))
            let hand = DossierState(storedJSON: text)
            if let hand { #expect(hand == decoded, "\(change): \(text)") }
            if byHand { #expect(hand != nil && decoded != nil, "\(change): \(text)") }
            #expect((try? StoredJSON.state(text)) == decoded, "\(change): \(text)")
        }
        for _ in 0..<300 {
            let state = parts.state()
            let text = state.jsonText().text
            check(String(decoding: try pretty.encode(state), as: UTF8.self), "spaced", byHand: true)
            check(String(decoding: try unsorted.encode(state), as: UTF8.self), "unsorted")
            check(text.replacingOccurrences(of: "é", with: "\\u00e9").replacingOccurrences(of: "✅", with: "\\u2705")
                      .replacingOccurrences(of: "🇻", with: "\\ud83c\\uddfb").replacingOccurrences(of: "/", with: "\\/"), "escaped", byHand: true)
            check(text.replacingOccurrences(of: "🇻", with: "\\ud83c"), "a lone surrogate")
            check("{\"aaa\":{\"a\":[1,-2.5e3,\"x\",null,true,{}]}," + text.dropFirst(), "an unknown key", byHand: true)
            check("{\"acceptedAt\":1,\"acceptedAt\":2," + text.dropFirst(), "a key twice")
            check(text.replacingOccurrences(of: "\"approved\":\(state.approved)", with: "\"approved\":\(state.approved),\"approved\":\(!state.approved)"),
                  "a required key twice")
            if state.acceptedAt == nil { check("{\"acceptedAt\":null," + text.dropFirst(), "a null optional", byHand: true) }
            check("{\"status\":null," + text.dropFirst(), "a null required key, twice")
            check(text.replacingOccurrences(of: "\"apologies\":\(state.apologies),", with: ""), "a required key missing")
            for number in ["\(state.apologies).0", "\(state.apologies)E0", "+\(state.apologies)", "0\(state.apologies)", "-0", "1e400",
                           "\(state.apologies).", "1.e5"] {
                check(text.replacingOccurrences(of: "\"apologies\":\(state.apologies),", with: "\"apologies\":\(number),"), "apologies \(number)")
            }
            check(text.replacingOccurrences(of: "\"submittedAt\":", with: "\"submittedAt\":.5"), "a bare fraction")
            for cut in [".", "e", "e+"] {
                check(text.replacingOccurrences(of: ",\"supplementRequests\"", with: "\(cut),\"supplementRequests\""), "submittedAt ending in \(cut)")
            }
            check(text.replacingOccurrences(of: "\"channel\":\"", with: "\"channel\":\"x"), "an unknown channel")
            check(String(text.dropLast()), "cut short")
            check(text + " x", "something after")
            check(" \n\t" + text + "\n", "space around", byHand: true)
        }
        // An applicant, spaced, with a key the reader does not know, a key twice, keys out of order.
        for _ in 0..<100 {
            let applicant = parts.applicant()
            let text = applicant.jsonText().text
            for (changed, change) in [(String(decoding: try pretty.encode(applicant), as: UTF8.self), "spaced"),
                                      ("{\"aaa\":[]," + text.dropFirst(), "an unknown key"),
                                      (text.replacingOccurrences(of: "\"fullName\"", with: "\"fullName\":\"X\",\"fullName\""), "a key twice"),
                                      (String(decoding: try unsorted.encode(applicant), as: UTF8.self), "unsorted")] {
                let decoded = try? JSONDecoder().decode(Applicant.self, from: Data(changed.utf8))
                if let hand = Applicant(storedJSON: changed) { #expect(hand == decoded, "\(change): \(changed)") }
                #expect((try? StoredJSON.applicant(changed)) == decoded, "\(change): \(changed)")
            }
        }
    }
}
