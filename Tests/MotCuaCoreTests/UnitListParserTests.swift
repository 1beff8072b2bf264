import Foundation
import Testing
@testable import MotCuaCore

@Suite struct UnitListParserTests {
    static func shared(_ name: String) throws -> String {
        // The tests read the reference data from ../shared, as the product ships its own copy.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/admin-units/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func theTwoLevelRegister() throws {
        let units = try UnitListParser.reform2025(Self.shared("units-2025.csv"))
        #expect(units.filter { $0.level == .province }.count == 34)
        #expect(units.filter { $0.level == .commune }.count == 3321)
        let baDinh = try #require(units.first { $0.code == "00004" })
        #expect(baDinh.name == "Phường Ba Đình" && baDinh.parentCode == "01" && baDinh.validFrom?.description == "2025-07-01")
        #expect(units.first { $0.code == "01" }?.type == "Thành phố")
    }

    @Test func theLegacyRegister() throws {
        let units = try UnitListParser.legacy(Self.shared("units-legacy-2024.csv"))
        #expect(units.filter { $0.level == .province }.count == 63)
        #expect(units.filter { $0.level == .district }.count == 696)
        #expect(units.filter { $0.level == .commune }.count == 10035)
        let phucXa = try #require(units.first { $0.code == "00001" })
        #expect(phucXa.name == "Phường Phúc Xá" && phucXa.parentCode == "001" && phucXa.validTo?.description == "2025-06-30")
        // Leading zeros are kept: codes are strings.
        #expect(units.contains { $0.code == "001" && $0.level == .district })
    }

    @Test func theMerges() throws {
        let merges = try UnitListParser.merges(Self.shared("ward-merges-2025.csv"))
        #expect(merges.count == 10597)
        #expect(merges.filter { $0.legacyCode == "00611" }.map(\.successorCode).sorted() == ["00091", "00160", "00611"])
        #expect(merges.filter { $0.legacyCode == "00611" && $0.isDefault }.map(\.successorCode) == ["00611"])
    }

    @Test func malformedListsSayWhichLine() {
        #expect(throws: UnitListParser.ParseError(line: 1, message: "expected the header legacy_ward_code,new_ward_code,is_default")) {
            try UnitListParser.merges("a,b,c\n00001,00097,1\n")
        }
        #expect(throws: UnitListParser.ParseError(line: 3, message: "\"97\" is not a commune code")) {
            try UnitListParser.merges("legacy_ward_code,new_ward_code,is_default\n00001,00097,1\n00001,97,0\n")
        }
        #expect(throws: UnitListParser.ParseError(line: 2, message: "expected 5 non-empty fields")) {
            try UnitListParser.reform2025("province_code,province_name,ward_code,ward_name,ward_type\n01,Hà Nội,00004\n")
        }
    }
}
