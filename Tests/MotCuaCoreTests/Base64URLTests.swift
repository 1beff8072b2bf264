import Foundation
import MotCuaCore
import Testing

/// Cursors in base64 with the URL's alphabet and no padding.
@Suite struct Base64URLTests {
    @Test func bytesGoThereAndBackWithTheURLAlphabetAndNoPadding() {
        var generator = SplitMix64(seed: 4648)
        for length in 0..<64 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = data.base64URL
            let expected = data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(text == expected)
            #expect(Data(base64URL: text) == data)
        }
        #expect(Data([0xfb, 0xff]).base64URL == "-_8")
        #expect(Data(base64URL: "-_8") == Data([0xfb, 0xff]))
        #expect(Data(base64URL: "a b") == nil)
        #expect(Data(base64URL: "1783000000000|000.00.30.H26-261205-0001") == nil)
    }
}
