/// The two registers of administrative units: the three-level one in force until 30 June 2025
/// (province → district → commune) and the two-level one since 1 July 2025 (province → commune).
/// Codes are the official statistical codes, strings with their leading zeros; the same code can
/// name different units in the two schemes (ward 00004 is Trúc Bạch in one, Ba Đình in the other).
public enum UnitScheme: String, Codable, Sendable, CaseIterable {
    case legacy
    case reform2025 = "2025"

    /// The last day of the legacy register, the first of the reformed one.
    public static let reformDate = CivilDate(year: 2025, month: 7, day: 1)!
}

public enum UnitLevel: String, Codable, Sendable, CaseIterable {
    case province, district, commune

    /// Official codes have a fixed length per level: 2, 3 and 5 digits.
    public init?(code: String) {
        guard code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        switch code.count {
        case 2: self = .province
        case 3: self = .district
        case 5: self = .commune
        default: return nil
        }
    }
}

public struct AdministrativeUnit: Codable, Hashable, Sendable {
    public let scheme: UnitScheme
    public let code: String
    public let name: String
    /// Tỉnh, Thành phố, Quận, Huyện, Thị xã, Phường, Xã, Thị trấn, Đặc khu.
    public let type: String
    public let parentCode: String?
    public let provinceCode: String
    public let validFrom: CivilDate?
    public let validTo: CivilDate?

    public var level: UnitLevel { UnitLevel(code: code) ?? .commune }

    public init(scheme: UnitScheme, code: String, name: String, type: String, parentCode: String?, provinceCode: String,
                validFrom: CivilDate?, validTo: CivilDate?) {
        self.scheme = scheme
        self.code = code
        self.name = name
        self.type = type
        self.parentCode = parentCode
        self.provinceCode = provinceCode
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

/// A legacy commune and one of the 2025 communes it became; a split commune has several, one default.
public struct UnitSuccession: Codable, Hashable, Sendable {
    public let legacyCode: String
    public let successorCode: String
    public let isDefault: Bool

    public init(legacyCode: String, successorCode: String, isDefault: Bool) {
        self.legacyCode = legacyCode
        self.successorCode = successorCode
        self.isDefault = isDefault
    }
}
