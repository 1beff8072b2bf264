import Foundation
import HTTPTypes
import Hummingbird
import MotCuaCore
import MotCuaStore

/// An RFC 9457 problem: a stable machine-readable `code`, a Vietnamese `title`, and for validation
/// every bad field with its path. Every error the API returns is one of these.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    public struct FieldError: Codable, Sendable, Equatable {
        public let path: String
        public let code: String
        public let message: String

        public init(path: String, code: String, message: String) {
            self.path = path
            self.code = code
            self.message = message
        }
    }

    public let status: HTTPResponse.Status
    public let code: String
    public let title: String
    public let detail: String?
    public let errors: [FieldError]
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, title: String, detail: String? = nil, errors: [FieldError] = []) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    public static func == (lhs: Problem, rhs: Problem) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.detail == rhs.detail && lhs.errors == rhs.errors
    }

    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, code: "validation.failed", title: "Dữ liệu không hợp lệ",
                detail: "\(errors.count) trường không hợp lệ", errors: errors)
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, code: "not_found", title: "Không tìm thấy", detail: what)
    }

    public static func badRequest(_ code: String, _ detail: String) -> Problem {
        Problem(.badRequest, code: code, title: "Yêu cầu không hợp lệ", detail: detail)
    }

    public static func conflict(_ code: String, _ detail: String) -> Problem {
        Problem(.conflict, code: code, title: "Xung đột dữ liệu", detail: detail)
    }

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let code: String
        let errors: [FieldError]?
    }

    static let contentType = "application/problem+json; charset=utf-8"

    /// The document as sent.
    func encoded() throws -> ByteBuffer {
        let body = Body(type: "https://motcua.vn/problems/\(code)", title: title, status: Int(status.code), detail: detail,
                        code: code, errors: errors.isEmpty ? nil : errors)
        return ByteBuffer(bytes: try JSONCoding.encoder.encode(body))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = Self.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: try encoded()))
    }
}

/// Turns every error into a problem response: Hummingbird's own (unknown route, bad method), body
/// decoding, and anything unexpected (a 500 that says nothing about the internals).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as AuthError {
            throw Problem.from(error)
        } catch let error as DossierError {
            throw Problem.from(error)
        } catch let error as DocumentError {
            throw Problem.from(error)
        } catch let error as StoreError {
            throw Problem.from(error)
        } catch let error as MotCuaCore.ValidationError {
            throw Problem.from(error)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                throw Problem(.notFound, code: "not_found", title: "Không tìm thấy", detail: "Không có địa chỉ này")
            case .methodNotAllowed:
                throw Problem(.methodNotAllowed, code: "method_not_allowed", title: "Phương thức không được hỗ trợ")
            case .contentTooLarge:
                throw Problem(.contentTooLarge, code: "body.too_large", title: "Dữ liệu gửi lên quá lớn")
            default:
                throw Problem(error.status, code: "http.\(error.status.code)", title: "Yêu cầu không hợp lệ", detail: error.body)
            }
        } catch let error as DecodingError {
            throw Problem.badRequest("body.malformed", JSONCoding.describe(error))
        } catch {
            context.logger.error("unexpected error", metadata: ["error_type": "\(type(of: error))"])
            throw Problem(.internalServerError, code: "internal", title: "Lỗi hệ thống", detail: "Đã ghi nhận lỗi; vui lòng thử lại sau")
        }
    }
}

enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Vietnamese stays as it is: no \u escapes, no escaped slashes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder = JSONDecoder()

    /// "field.path: what was wrong", for a 400 about a body that is not the expected JSON.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "(body)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)).\(key.stringValue): bắt buộc (required)".replacingOccurrences(of: "(body).", with: "")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): sai kiểu dữ liệu (wrong type)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "JSON không hợp lệ"
        }
    }
}
