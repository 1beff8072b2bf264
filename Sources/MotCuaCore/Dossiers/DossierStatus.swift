/// The national dossier status codes (used when syncing with the National Public Service Portal).
public enum DossierStatus: Int, Codable, Sendable, CaseIterable {
    case submitted = 1
    case accepted = 2
    case refused = 3
    case processing = 4
    case supplementRequested = 5
    case paymentRequested = 6
    case withdrawn = 7
    case stopped = 8
    case resultReady = 9
    case returned = 10

    public var label: String {
        switch self {
        case .submitted: return "Mới đăng ký"
        case .accepted: return "Đã tiếp nhận"
        case .refused: return "Từ chối tiếp nhận"
        case .processing: return "Đang xử lý"
        case .supplementRequested: return "Yêu cầu bổ sung"
        case .paymentRequested: return "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .withdrawn: return "Công dân yêu cầu rút hồ sơ"
        case .stopped: return "Dừng xử lý"
        case .resultReady: return "Đã xử lý xong"
        case .returned: return "Đã trả kết quả"
        }
    }

    /// Nothing more happens to a dossier in these statuses.
    public var isFinal: Bool { [.refused, .withdrawn, .stopped, .returned].contains(self) }

    /// The clock is stopped while the applicant owes papers or a payment.
    public var stopsTheClock: Bool { self == .supplementRequested || self == .paymentRequested }
}

/// Who acts on dossiers.
public enum DossierRole: String, Codable, Sendable, CaseIterable {
    case citizen
    case intakeOfficer = "intake_officer"
    case processingOfficer = "processing_officer"
    case leader
    case agencyAdmin = "agency_admin"
    case systemAdmin = "system_admin"
}

public struct DossierActor: Codable, Hashable, Sendable {
    public let id: String
    public let role: DossierRole

    public init(id: String, role: DossierRole) {
        self.id = id
        self.role = role
    }
}

/// Configurable rules of the one-stop mechanism.
public struct DossierPolicy: Codable, Hashable, Sendable {
    /// Supplement requests allowed per dossier (usually one).
    public var maxSupplementRequests = 1
    /// Apologies with a new appointment allowed per dossier.
    public var maxApologies = 1
    /// "Due soon" when this much working time or less is left (default one working day).
    public var dueSoonWorkingSeconds: Double = 8 * 3600

    public init(maxSupplementRequests: Int = 1, maxApologies: Int = 1, dueSoonWorkingSeconds: Double = 8 * 3600) {
        self.maxSupplementRequests = maxSupplementRequests
        self.maxApologies = maxApologies
        self.dueSoonWorkingSeconds = dueSoonWorkingSeconds
    }
}
