import Foundation
import MotCuaCore
import Testing

@Suite struct RequestIDTests {
    @Test func requestIDsAreVersionFourUUIDsInLowerCase() {
        for _ in 0..<200 {
            let id = RequestID.next()
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect(id == id.lowercased())
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
    }

    /// Taken at once from several threads, no two are the same.
    @Test func requestIDsTakenTogetherAreDistinct() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<10_000).map { _ in RequestID.next() } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 40_000)
        #expect(Set(ids).count == ids.count)
    }
}
