import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

extension Problem {
    static func from(_ error: AuthError) -> Problem {
        switch error {
        case .unauthenticated, .invalidCredentials:
            var problem = Problem(.unauthorized, code: error.code, title: "Chưa đăng nhập", detail: error.message)
            problem.headers[.wwwAuthenticate] = "Bearer"
            return problem
        case .locked:
            return Problem(.init(code: 423, reasonPhrase: "Locked"), code: error.code, title: "Tài khoản tạm khóa", detail: error.message)
        case .rateLimited(let seconds):
            var problem = Problem(.tooManyRequests, code: error.code, title: "Quá nhiều yêu cầu", detail: error.message)
            problem.headers[.retryAfter] = "\(seconds)"
            return problem
        case .forbidden:
            return Problem(.forbidden, code: error.code, title: "Không có quyền", detail: error.message)
        }
    }

    /// Refused dossier commands: a bad input is 422, a rule of the procedure 409, a missing right 403.
    static func from(_ error: DossierError) -> Problem {
        if error.code.hasPrefix("auth.") {
            return Problem(.forbidden, code: error.code, title: "Không có quyền", detail: error.message)
        }
        if invalidInput.contains(error.code) {
            return Problem(.unprocessableContent, code: error.code, title: "Dữ liệu không hợp lệ", detail: error.message)
        }
        return Problem(.conflict, code: error.code, title: "Không thực hiện được với hồ sơ", detail: error.message)
    }

    static func from(_ error: DocumentError) -> Problem {
        switch error {
        case .empty:
            return Problem(.unprocessableContent, code: "document.empty", title: "Tệp rỗng", detail: "Tệp không có nội dung")
        case .tooLarge(let limit):
            return Problem(.contentTooLarge, code: "document.too_large", title: "Tệp quá lớn",
                           detail: "Mỗi tệp tối đa \(limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit >> 10) KB")")
        case .unsupportedType:
            return Problem(.unsupportedMediaType, code: "document.unsupported_type", title: "Loại tệp không được chấp nhận",
                           detail: "Chỉ nhận PDF, PNG hoặc JPEG (nhận biết theo nội dung tệp)")
        case .typeMismatch(let declared):
            return Problem(.unsupportedMediaType, code: "document.type_mismatch", title: "Loại tệp không đúng",
                           detail: "Tệp khai là \(declared) nhưng nội dung không phải; chỉ nhận PDF, PNG hoặc JPEG")
        }
    }

    static let invalidInput: Set<String> = [
        "dossier.reason_required", "dossier.missing_required", "dossier.amount_invalid", "dossier.apology_date_not_later",
        "dossier.channel_not_accepted", "dossier.agency_not_receiving",
    ]
}
