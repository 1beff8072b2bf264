import Foundation
import MotCuaCore
import Testing

/// The checks every submission runs on its text, without Foundation's bridges.
@Suite struct TextCheckTests {
    /// Blank means what Foundation's trimming says, for every character of the basic plane.
    @Test func blankAgreesWithFoundationsTrimming() {
        var disagreements: [String] = []
        for value in UInt32(0)..<0x1_0000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if text.isBlank != text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
        for text in ["", " \t\n\r\u{0B}\u{0C}", "\u{A0}\u{2028}\u{3000}\u{85}", " a ", "\u{200B}", "Nguyễn", " \u{301}"] {
            #expect(text.isBlank == text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test func aTextIsRequiredAndCountedInCharactersNotBytes() {
        func issues(_ value: String) -> [String] {
            var v = Validator()
            v.text(value, "applicant.fullName", maxLength: 5)
            return v.issues.map { "\($0.path) \($0.code)" }
        }
        #expect(issues(" \u{A0}\n") == ["applicant.fullName required"])
        #expect(issues("Lệ Hằng").count == 1)                               // 7 characters
        #expect(issues("Lệ Hà") == [])                                      // 5 characters, 8 bytes
        #expect(issues("e\u{323}\u{302}e\u{323}\u{302}") == [])             // 2 characters, 10 bytes
        #expect(issues("Nguyễn") == ["applicant.fullName too_long"])
    }
}
