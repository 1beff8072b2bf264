/// The 12-digit citizen identity number (số định danh cá nhân, on the CCCD card), per Circular
/// 07/2016/TT-BCA (later 59/2021): 3 digits for the province where the birth was registered,
/// 1 for century and sex, 2 for the year of birth, 6 random.
public struct CitizenID: Hashable, Sendable, CustomStringConvertible {
    public enum Sex: String, Sendable { case male, female }

    public let digits: String
    public let provinceCode: String
    public let sex: Sex
    public let birthYear: Int

    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case notTwelveDigits
        case unknownProvince(String)
        case futureBirthYear(Int)
        case implausibleBirthYear(Int)

        /// Stable machine-readable code.
        public var code: String {
            switch self {
            case .notTwelveDigits: return "citizen_id.format"
            case .unknownProvince: return "citizen_id.province"
            case .futureBirthYear, .implausibleBirthYear: return "citizen_id.birth_year"
            }
        }

        /// Why, in Vietnamese, for the person who typed it.
        public var description: String {
            switch self {
            case .notTwelveDigits: return "Số định danh cá nhân gồm đúng 12 chữ số"
            case .unknownProvince(let code): return "Ba số đầu \(code) không phải mã tỉnh nơi đăng ký khai sinh"
            case .futureBirthYear(let year): return "Năm sinh \(year) suy ra từ số thứ 4–6 nằm ở tương lai"
            case .implausibleBirthYear(let year): return "Năm sinh \(year) suy ra từ số thứ 4–6 không hợp lý"
            }
        }
    }

    /// The 63 province codes of the register in force when the numbers were designed (a prefix
    /// "0" is added: 001 Hà Nội … 096 Cà Mau). The 34 provinces of 2025 kept codes from this list.
    public static let provinceCodes: Set<String> = [
        "01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22", "24", "25", "26", "27", "30", "31",
        "33", "34", "35", "36", "37", "38", "40", "42", "44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60", "62",
        "64", "66", "67", "68", "70", "72", "74", "75", "77", "79", "80", "82", "83", "84", "86", "87", "89", "91", "92", "93",
        "94", "95", "96",
    ]

    /// Checks a number as of `currentYear`; spaces are ignored.
    public static func parse(_ text: String, currentYear: Int) -> Result<CitizenID, Problem> {
        let digits = text.filter { $0 != " " }
        guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notTwelveDigits) }
        let chars = Array(digits)
        let province = String(chars[0..<3])
        guard province.hasPrefix("0"), provinceCodes.contains(String(province.dropFirst())) else {
            return .failure(.unknownProvince(province))
        }
        let centuryDigit = Int(String(chars[3]))!
        // 0/1: 1900s, 2/3: 2000s, 4/5: 2100s…; even male, odd female.
        let year = 1900 + (centuryDigit / 2) * 100 + Int(String(chars[4..<6]))!
        if year > currentYear { return .failure(.futureBirthYear(year)) }
        if year < currentYear - 130 { return .failure(.implausibleBirthYear(year)) }
        return .success(CitizenID(digits: digits, provinceCode: province, sex: centuryDigit % 2 == 0 ? .male : .female, birthYear: year))
    }

    public var lastFour: String { String(digits.suffix(4)) }
    public var description: String { "CCCD ***\(lastFour)" }
}

/// Vietnamese phone numbers: mobiles (03, 05, 07, 08, 09 + 8 digits) and landlines (02 + 9
/// digits), written with 0, 84 or +84 and any spaces, dots or dashes; kept as 0xxxxxxxxx.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public static func parse(_ text: String) -> PhoneNumber? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        else if digits.hasPrefix("84") && digits.count == 11 { digits = "0" + digits.dropFirst(2) }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.hasPrefix("0") else { return nil }
        let second = digits.dropFirst().first
        switch (digits.count, second) {
        case (10, "3"), (10, "5"), (10, "7"), (10, "8"), (10, "9"): return PhoneNumber(digits: digits)
        case (11, "2"): return PhoneNumber(digits: digits)
        default: return nil
        }
    }

    public var lastFour: String { String(digits.suffix(4)) }
    /// Masked, for anything a log or a page might show.
    public var description: String { "***\(lastFour)" }
}
