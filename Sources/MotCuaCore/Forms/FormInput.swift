import Foundation

/// The one-stop forms (Circular 03/2025/TT-VPCP), each issued by a command.
public enum FormKind: String, CaseIterable, Sendable {
    case receipt = "01", supplementRequest = "02", refusal = "03", apology = "04", stopNotice = "05", controlSlip = "06"

    public var title: String {
        switch self {
        case .receipt: return "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
        case .supplementRequest: return "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
        case .refusal: return "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
        case .apology: return "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
        case .stopNotice: return "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ"
        case .controlSlip: return "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
        }
    }

    /// The command whose event the form records; the control slip is drawn from the whole history.
    public var command: String? {
        switch self {
        case .receipt: return "accept"
        case .supplementRequest: return "request_supplement"
        case .refusal: return "refuse"
        case .apology: return "apologise"
        case .stopNotice: return "stop"
        case .controlSlip: return nil
        }
    }
}

/// What a form is drawn from: the dossier, its history and the names behind codes and ids.
public struct FormInput: Sendable {
    public let code: String
    public let procedureName: String
    public let applicant: Applicant
    public let state: DossierState
    public let events: [DossierEvent]
    /// The labels of the papers received.
    public let documents: [String]
    /// Agency code → name.
    public let agencyNames: [String: String]
    /// Account id → full name, for the officers who acted.
    public let actorNames: [String: String]
    public let receivingAgency: String

    public init(code: String, procedureName: String, applicant: Applicant, state: DossierState, events: [DossierEvent], documents: [String],
                agencyNames: [String: String], actorNames: [String: String], receivingAgency: String) {
        self.code = code
        self.procedureName = procedureName
        self.applicant = applicant
        self.state = state
        self.events = events
        self.documents = documents
        self.agencyNames = agencyNames
        self.actorNames = actorNames
        self.receivingAgency = receivingAgency
    }
}
