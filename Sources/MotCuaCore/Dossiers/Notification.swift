import Foundation

/// The ways a message reaches an applicant. Each has an adapter behind one protocol; the default
/// adapter only logs.
public enum NotificationChannel: String, Codable, Sendable, CaseIterable {
    case sms, email, zalo
}

/// What the applicant is told when their dossier changes. Messages carry the code, the new status
/// and dates, never a name or an id number: they travel through third-party gateways.
public enum NotificationText {
    /// The message for an event, nil when the applicant need not be told.
    public static func message(code: String, event: DossierEvent, state: DossierState) -> String? {
        let dossier = "Hồ sơ \(code)"
        switch event.command {
        case "submit" where state.channel == .online:
            return "\(dossier) đã được gửi trực tuyến và đang chờ tiếp nhận."
        case "accept":
            return "\(dossier) đã được tiếp nhận. Hẹn trả kết quả: \(label(state.appointment))."
        case "refuse":
            return "\(dossier) không được tiếp nhận. Lý do: \(event.reason ?? "")."
        case "request_supplement":
            return "\(dossier) cần bổ sung: \(state.missingDocuments.joined(separator: "; ")). Thời hạn xử lý tạm dừng đến khi nhận đủ."
        case "request_payment":
            return "\(dossier) cần thực hiện nghĩa vụ tài chính: \(state.paymentDueVnd ?? 0) đồng."
        case "apologise":
            return "Xin lỗi vì \(dossier) chưa có kết quả đúng hẹn. Lý do: \(event.reason ?? ""). Hẹn trả mới: \(label(state.appointment))."
        case "mark_result_ready":
            return "\(dossier) đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký."
        case "return_result":
            return "\(dossier) đã được trả kết quả. Mời ông/bà đánh giá mức độ hài lòng."
        case "stop":
            return "\(dossier) đã dừng xử lý. Lý do: \(event.reason ?? "")."
        case "withdraw":
            return "\(dossier) đã được rút theo đề nghị."
        default:
            return nil
        }
    }

    /// `27/11/2026 08:00`, Vietnam time.
    public static func label(_ instant: Date?) -> String {
        guard let instant else { return "chưa xác định" }
        let (date, second) = WorkingCalendar.local(instant)
        let (y, m, d) = date.components
        let minutes = Int(second) / 60
        return "\(pad(d, 2))/\(pad(m, 2))/\(y) \(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
    }
}

/// The recipients of an applicant's messages: SMS and Zalo by phone, e-mail by address.
extension Applicant {
    public func recipients(on channels: [NotificationChannel]) -> [(NotificationChannel, String)] {
        channels.compactMap { channel in
            switch channel {
            case .sms, .zalo: return phone.map { (channel, $0) }
            case .email: return email.map { (channel, $0) }
            }
        }
    }
}
