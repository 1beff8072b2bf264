import Testing
@testable import MotCuaStore

/// How digests and tokens are written: lower-case hexadecimal, two digits a byte.
@Suite struct StoredFormatsTests {
    @Test func hexIsTwoLowerCaseDigitsPerByte() {
        #expect([UInt8]().hex == "")
        #expect([0x00, 0x0f, 0x10, 0xa0, 0xff].hex == "000f10a0ff")
        #expect((0...255).map(UInt8.init).hex == (0...255).map { String($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }
}
