/// A body that receives or decides dossiers: a department (sở), a public administration service
/// centre, a people's committee, or, before 2025, a district office.
public struct Agency: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case provinceCommittee = "province_committee"
        case department
        case serviceCentre = "service_centre"
        case communeCommittee = "commune_committee"
        case communeServiceCentre = "commune_service_centre"
        case districtOffice = "district_office"
        case police
        case other

        /// Vietnamese label for pages and exports.
        public var label: String {
            switch self {
            case .provinceCommittee: return "Ủy ban nhân dân tỉnh/thành phố"
            case .department: return "Sở, ban, ngành"
            case .serviceCentre: return "Trung tâm Phục vụ hành chính công"
            case .communeCommittee: return "Ủy ban nhân dân xã/phường"
            case .communeServiceCentre: return "Trung tâm phục vụ hành chính công cấp xã"
            case .districtOffice: return "Cơ quan cấp huyện (trước 01/7/2025)"
            case .police: return "Công an"
            case .other: return "Khác"
            }
        }
    }

    /// The national agency code (mã định danh cơ quan), e.g. `000.00.05.H26`.
    public var code: String
    public var name: String
    public var kind: Kind
    /// The administrative unit it serves, in the register of its time.
    public var unitScheme: UnitScheme
    public var unitCode: String
    public var parentCode: String?
    public var validFrom: CivilDate?
    public var validTo: CivilDate?

    public init(code: String, name: String, kind: Kind, unitScheme: UnitScheme = .reform2025, unitCode: String,
                parentCode: String? = nil, validFrom: CivilDate? = nil, validTo: CivilDate? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.unitScheme = unitScheme
        self.unitCode = unitCode
        self.parentCode = parentCode
        self.validFrom = validFrom
        self.validTo = validTo
    }

    /// Checks what can be checked without the database (references are checked by the store).
    public func validate() throws {
        var v = Validator()
        v.require(Agency.isValidCode(code), "code", "format",
                  "Mã cơ quan gồm chữ, số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự), ví dụ 000.00.05.H26")
        v.text(name, "name", maxLength: 300)
        v.require(UnitLevel(code: unitCode) != nil, "unitCode", "format", "Mã đơn vị hành chính gồm 2, 3 hoặc 5 chữ số")
        v.require(kind != .districtOffice || unitScheme == .legacy, "kind", "district_after_reform",
                  "Cơ quan cấp huyện chỉ thuộc danh mục đơn vị hành chính trước 01/7/2025")
        if let parentCode {
            v.require(parentCode != code, "parentCode", "self", "Cơ quan không thể là cơ quan cấp trên của chính nó")
        }
        if let validFrom, let validTo {
            v.require(validFrom <= validTo, "validTo", "before_start", "Ngày hết hiệu lực phải sau ngày có hiệu lực")
        }
        try v.check()
    }

    public static func isValidCode(_ code: String) -> Bool {
        (1...40).contains(code.count) && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }
}
