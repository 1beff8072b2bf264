import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MotCuaCore
import MotCuaStore

extension Problem {
    /// The API's answer to a store refusal.
    static func from(_ error: StoreError) -> Problem {
        switch error {
        case .notFound(let what):
            return .notFound(what)
        case .staleVersion(let current):
            var problem = Problem.conflict("version.stale", "Dữ liệu đã bị thay đổi bởi người khác; phiên bản hiện tại là \(current)")
            problem.headers[.eTag] = "\"\(current)\""
            return problem
        case .duplicate(let what):
            return .conflict("duplicate", "\(what) đã tồn tại")
        case .idempotencyKeyReused:
            return Problem(.unprocessableContent, code: "idempotency.key_reused", title: "Idempotency-Key đã dùng",
                           detail: "Idempotency-Key này đã được dùng cho một yêu cầu khác")
        case .invalid(let issues):
            return .validation(issues.map { FieldError(path: $0.path, code: $0.code, message: $0.message) })
        case .inUse(let detail):
            return .conflict("in_use", detail)
        }
    }

    static func from(_ error: ValidationError) -> Problem {
        .validation(error.issues.map { FieldError(path: $0.path, code: $0.code, message: $0.message) })
    }
}

/// Runs a store operation, turning its refusals into problems.
func storeCall<R>(_ body: () async throws -> R) async throws -> R {
    do {
        return try await body()
    } catch let error as StoreError {
        throw Problem.from(error)
    } catch let error as ValidationError {
        throw Problem.from(error)
    }
}

enum Headers {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// The version a writer read: `If-Match: "3"` (or W/"3"), else the body's `expectedVersion`.
    static func expectedVersion(_ request: Request, body: Int?) throws -> Int {
        if let header = request.headers[.ifMatch] {
            let digits = header.replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let version = Int(digits) else {
                throw Problem.badRequest("if_match.malformed", "If-Match phải là phiên bản, ví dụ \"3\"")
            }
            return version
        }
        guard let body else {
            throw Problem(.preconditionRequired, code: "version.required", title: "Thiếu phiên bản",
                          detail: "Gửi If-Match hoặc expectedVersion: phiên bản đã đọc")
        }
        return body
    }

    /// `Idempotency-Key` with the digest of the body, for creates.
    static func idempotency(_ request: Request, scope: String, body: ByteBuffer) throws -> Idempotency.Request? {
        guard let key = request.headers[idempotencyKey] else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem.badRequest("idempotency.key_malformed", "Idempotency-Key: 1–200 ký tự ASCII không có khoảng trắng")
        }
        let digest = Array(SHA256.hash(data: Data(buffer: body))).hex
        return Idempotency.Request(scope: scope, key: key, requestHash: digest)
    }
}

extension Response {
    /// A JSON body already encoded (a stored idempotent response).
    static func json(_ body: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
