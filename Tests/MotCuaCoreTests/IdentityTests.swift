import Foundation
import Testing
@testable import MotCuaCore

@Suite struct IdentityTests {
    @Test func validCitizenIDs() throws {
        // Hà Nội (001), female born 1990; HCM City (079), male born 2004.
        let a = try CitizenID.parse("001190012345", currentYear: 2026).get()
        #expect(a.provinceCode == "001" && a.sex == .female && a.birthYear == 1990 && a.lastFour == "2345")
        let b = try CitizenID.parse("079 204 001234", currentYear: 2026).get()
        #expect(b.sex == .male && b.birthYear == 2004)
        #expect("\(b)" == "CCCD ***1234")
    }

    @Test(arguments: [
        ("00119001234", "citizen_id.format"),      // 11 digits
        ("0011900123a5", "citizen_id.format"),
        ("003190012345", "citizen_id.province"),   // 03 is not a province code
        ("101190012345", "citizen_id.province"),
        ("001230012345", "citizen_id.birth_year"), // male born 2030: in the future
        ("001790012345", "citizen_id.birth_year"), // century digit 7: born 2290
    ])
    func invalidCitizenIDsSayWhy(text: String, code: String) {
        switch CitizenID.parse(text, currentYear: 2026) {
        case .success: Issue.record("\(text) accepted")
        case .failure(let problem):
            #expect(problem.code == code)
            #expect(!problem.description.isEmpty)
        }
    }

    /// The province codes are those of the official legacy register.
    @Test func provinceCodesMatchTheOfficialList() throws {
        let text = try UnitListParserTests.shared("units-legacy-2024.csv")
        let codes = Set(try UnitListParser.legacy(text).filter { $0.level == .province }.map(\.code))
        #expect(codes == CitizenID.provinceCodes)
    }

    @Test func phoneNumbers() {
        #expect(PhoneNumber.parse("0912 345 678")?.digits == "0912345678")
        #expect(PhoneNumber.parse("+84 912-345-678")?.digits == "0912345678")
        #expect(PhoneNumber.parse("84912345678")?.digits == "0912345678")
        #expect(PhoneNumber.parse("024 3825 1234")?.digits == "02438251234")
        #expect(PhoneNumber.parse("0112345678") == nil)
        #expect(PhoneNumber.parse("091234567") == nil)
        #expect(PhoneNumber.parse("phone") == nil)
        #expect("\(PhoneNumber.parse("0912345678")!)" == "***5678")
    }
}
