/// Who applies: a person, or an organisation through its representative. Personal data: it is
/// stored with the dossier, shown only to those allowed, and never logged.
public struct Applicant: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case person, organisation }

    public var kind: Kind
    /// The person, or the organisation's representative.
    public var fullName: String
    public var citizenId: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var organisationName: String?
    public var taxCode: String?

    public init(kind: Kind = .person, fullName: String, citizenId: String? = nil, phone: String? = nil, email: String? = nil,
                address: String? = nil, organisationName: String? = nil, taxCode: String? = nil) {
        self.kind = kind
        self.fullName = fullName
        self.citizenId = citizenId
        self.phone = phone
        self.email = email
        self.address = address
        self.organisationName = organisationName
        self.taxCode = taxCode
    }

    /// Checks names, the citizen id (with its reason) and the phone; normalises the phone.
    public func validated(currentYear: Int, prefix: String = "applicant.") throws -> Applicant {
        var v = Validator()
        var result = self
        v.text(fullName, "\(prefix)fullName", maxLength: 200)
        if let citizenId {
            switch CitizenID.parse(citizenId, currentYear: currentYear) {
            case .success(let id): result.citizenId = id.digits
            case .failure(let problem): v.add("\(prefix)citizenId", problem.code, problem.description)
            }
        } else if kind == .person {
            v.add("\(prefix)citizenId", "required", "Cần số định danh cá nhân")
        }
        if let phone {
            if let parsed = PhoneNumber.parse(phone) { result.phone = parsed.digits } else {
                v.add("\(prefix)phone", "phone.format", "Số điện thoại không đúng định dạng Việt Nam")
            }
        }
        if kind == .organisation {
            v.text(organisationName ?? "", "\(prefix)organisationName", maxLength: 300)
        }
        try v.check()
        return result
    }

    /// The last four digits tracking asks for: of the citizen id, or of the phone.
    public func matchesTrackingDigits(_ digits: String) -> Bool {
        guard digits.count == 4, digits.allSatisfy(\.isNumber) else { return false }
        return citizenId?.hasSuffix(digits) == true || phone?.hasSuffix(digits) == true
    }
}

/// The public dossier code: receiving agency's code – yymmdd – daily sequence (Circular 03/2025/TT-VPCP
/// shape; the pattern is to be checked against the circular before it is final).
public enum DossierCode {
    public static func make(agencyCode: String, date: CivilDate, sequence: Int) -> String {
        let (y, m, d) = date.components
        return "\(agencyCode)-\(pad(y % 100, 2))\(pad(m, 2))\(pad(d, 2))-\(pad(sequence, 4))"
    }
}
