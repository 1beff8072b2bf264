/// Reads the official unit lists (CSV with a header line, no quoting, as published in
/// `shared/data/admin-units`) into units. Errors name the line and what was wrong with it.
public enum UnitListParser {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// `province_code,province_name,ward_code,ward_name,ward_type`: provinces and communes since 2025.
    public static func reform2025(_ text: String) throws -> [AdministrativeUnit] {
        var provinces: [String: AdministrativeUnit] = [:]
        var units: [AdministrativeUnit] = []
        for (line, fields) in try rows(text, header: ["province_code", "province_name", "ward_code", "ward_name", "ward_type"]) {
            let (provinceCode, provinceName, code, name, type) = (fields[0], fields[1], fields[2], fields[3], fields[4])
            try check(provinceCode, .province, line)
            try check(code, .commune, line)
            if provinces[provinceCode] == nil {
                provinces[provinceCode] = province(.reform2025, provinceCode, provinceName)
            }
            units.append(AdministrativeUnit(scheme: .reform2025, code: code, name: name, type: type, parentCode: provinceCode,
                                            provinceCode: provinceCode, validFrom: UnitScheme.reformDate, validTo: nil))
        }
        return provinces.values.sorted { $0.code < $1.code } + units
    }

    /// `province_code,province_name,district_code,district_name,district_type,ward_code,ward_name,ward_type`.
    public static func legacy(_ text: String) throws -> [AdministrativeUnit] {
        let lastDay = UnitScheme.reformDate.adding(days: -1)
        var provinces: [String: AdministrativeUnit] = [:]
        var districts: [String: AdministrativeUnit] = [:]
        var units: [AdministrativeUnit] = []
        let header = ["province_code", "province_name", "district_code", "district_name", "district_type",
                      "ward_code", "ward_name", "ward_type"]
        // Island districts with no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have
        // empty commune fields.
        for (line, fields) in try rows(text, header: header, optionalTail: 3) {
            try check(fields[0], .province, line)
            try check(fields[2], .district, line)
            if provinces[fields[0]] == nil {
                provinces[fields[0]] = province(.legacy, fields[0], fields[1], validTo: lastDay)
            }
            if districts[fields[2]] == nil {
                districts[fields[2]] = AdministrativeUnit(scheme: .legacy, code: fields[2], name: fields[3], type: fields[4],
                                                          parentCode: fields[0], provinceCode: fields[0], validFrom: nil, validTo: lastDay)
            }
            if fields[5].isEmpty { continue }
            try check(fields[5], .commune, line)
            units.append(AdministrativeUnit(scheme: .legacy, code: fields[5], name: fields[6], type: fields[7], parentCode: fields[2],
                                            provinceCode: fields[0], validFrom: nil, validTo: lastDay))
        }
        return provinces.values.sorted { $0.code < $1.code } + districts.values.sorted { $0.code < $1.code } + units
    }

    /// `legacy_ward_code,new_ward_code,is_default`.
    public static func merges(_ text: String) throws -> [UnitSuccession] {
        try rows(text, header: ["legacy_ward_code", "new_ward_code", "is_default"]).map { line, fields in
            try check(fields[0], .commune, line)
            try check(fields[1], .commune, line)
            guard fields[2] == "0" || fields[2] == "1" else {
                throw ParseError(line: line, message: "is_default must be 0 or 1, got \"\(fields[2])\"")
            }
            return UnitSuccession(legacyCode: fields[0], successorCode: fields[1], isDefault: fields[2] == "1")
        }
    }

    private static func province(_ scheme: UnitScheme, _ code: String, _ name: String, validTo: CivilDate? = nil) -> AdministrativeUnit {
        let type = name.hasPrefix("Thành phố") ? "Thành phố" : "Tỉnh"
        return AdministrativeUnit(scheme: scheme, code: code, name: name, type: type, parentCode: nil, provinceCode: code,
                                  validFrom: scheme == .reform2025 ? UnitScheme.reformDate : nil, validTo: validTo)
    }

    private static func check(_ code: String, _ level: UnitLevel, _ line: Int) throws {
        guard UnitLevel(code: code) == level else {
            throw ParseError(line: line, message: "\"\(code)\" is not a \(level.rawValue) code")
        }
    }

    /// Rows of exactly the header's width; only the last `optionalTail` fields may be empty, and then all together.
    private static func rows(_ text: String, header: [String], optionalTail: Int = 0) throws -> [(Int, [String])] {
        var result: [(Int, [String])] = []
        // "\r\n" is one Character in Swift, so lines are split on any newline, not on "\n".
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
            if index == 0 {
                guard fields == header else {
                    throw ParseError(line: 1, message: "expected the header \(header.joined(separator: ","))")
                }
                continue
            }
            let required = fields.prefix(header.count - optionalTail), tail = fields.dropFirst(header.count - optionalTail)
            guard fields.count == header.count, required.allSatisfy({ !$0.isEmpty }),
                  tail.allSatisfy(\.isEmpty) || tail.allSatisfy({ !$0.isEmpty })
            else {
                throw ParseError(line: index + 1, message: "expected \(header.count) non-empty fields")
            }
            result.append((index + 1, fields))
        }
        if result.isEmpty && !text.hasPrefix(header.joined(separator: ",")) {
            throw ParseError(line: 1, message: "expected the header \(header.joined(separator: ","))")
        }
        return result
    }
}
