import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore
import NIOCore

/// `/api/v1/dossiers/{code}/documents`: upload a file as the raw request body (`?label=` names the
/// paper, `?filename=` the file), list them, and download one, each behind the dossier's access rules.
struct DocumentRoutes {
    let environment: AppEnvironment
    var service: DossierService { environment.dossiers }

    struct DocumentBody: Encodable, Sendable {
        let id: String
        let label: String
        let filename: String
        let contentType: String
        let sizeBytes: Int
        let sha256: String
        let uploadedBy: String
        let uploadedAt: String

        init(_ document: DossierDocument) {
            id = document.id
            label = document.label
            filename = document.filename
            contentType = document.type.rawValue
            sizeBytes = document.sizeBytes
            sha256 = document.sha256
            uploadedBy = document.uploadedBy.role.rawValue
            uploadedAt = WorkingCalendar.iso8601(document.uploadedAt)
        }
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("dossiers/{code}/documents") { request, context -> Response in
            let caller = try await environment.auth.require(request)
            let code = try context.parameters.require("code")
            let query = request.uri.queryParameters
            var v = Validator()
            let label = query["label"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            v.text(label, "label", maxLength: 300)
            let filename = query["filename"].map { Self.safeFilename(String($0)) } ?? "tep"
            try v.check()
            // Refuse before reading a byte when the caller may not attach anything.
            try await service.checkMayAttach(to: code, by: caller.viewer)
            let declared = request.headers[.contentType].map { Self.mediaType($0) }
                .flatMap { $0.isEmpty || $0 == "application/octet-stream" ? nil : $0 }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > environment.documents.maxBytes {
                throw DocumentError.tooLarge(limitBytes: environment.documents.maxBytes)
            }
            let writer = try environment.documents.receive()
            let received: (sha256: String, size: Int, type: DocumentType)
            do {
                for try await buffer in request.body { try writer.append(buffer.readableBytesView) }
                received = try writer.finish(declared: declared)
            } catch {
                writer.discard()
                throw error
            }
            let document = try await service.attach(
                DossierDocument(id: UUID().uuidString.lowercased(), label: label, filename: filename, type: received.type,
                                sizeBytes: received.size, sha256: received.sha256, uploadedBy: caller.account.actor, uploadedAt: Date()),
                to: code, by: caller.viewer)
            var response = try JSON(DocumentBody(document), status: .created).response(from: request, context: context)
            response.headers[.location] = "/api/v1/dossiers/\(code)/documents/\(document.id)"
            return response
        }
        api.get("dossiers/{code}/documents") { request, context in
            let caller = try await environment.auth.require(request)
            let documents = try await service.documents(of: try context.parameters.require("code"), by: caller.viewer)
            return JSON(["items": documents.map(DocumentBody.init)])
        }
        api.get("dossiers/{code}/documents/{id}") { request, context -> Response in
            let caller = try await environment.auth.require(request)
            let document = try await service.document(try context.parameters.require("id"), of: try context.parameters.require("code"),
                                                      by: caller.viewer)
            let data = try Data(contentsOf: environment.documents.url(forDigest: document.sha256))
            // Never rendered inline from our origin: a file is downloaded, its type as detected.
            let disposition = "attachment; filename=\"\(document.id).\(document.type.fileExtension)\"; filename*=UTF-8''\(PageKit.urlEncoded(document.filename))"
            return Response(status: .ok, headers: [
                .contentType: document.type.rawValue, .contentDisposition: disposition, .xContentTypeOptions: "nosniff",
                .cacheControl: "private, no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// `application/pdf` from `application/pdf; charset=…`; empty when there is none.
    static func mediaType(_ header: String) -> String {
        (header.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A file name without path or control characters, at most 200 characters.
    static func safeFilename(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.prefix(200))
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "tep" : cleaned
    }
}

/// `/api/v1/dossiers/{code}/forms/{form}`: forms 01–06 as printable HTML.
struct FormRoutes {
    let environment: AppEnvironment

    /// A form runs no script at all, whatever its data holds.
    static func htmlResponse(_ html: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store", .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("dossiers/{code}/forms/{form}") { request, context -> Response in
            let caller = try await environment.auth.require(request)
            guard let kind = FormKind(rawValue: try context.parameters.require("form")) else {
                throw Problem.notFound("Không có mẫu này; các mẫu: \(FormKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let html: String
            do {
                html = try await environment.dossiers.form(kind, of: try context.parameters.require("code"), by: caller.viewer)
            } catch FormRenderer.Failure.notIssued(let kind) {
                throw Problem.conflict("form.not_issued", "Hồ sơ chưa có \(kind.title.lowercased()) (mẫu số \(kind.rawValue))")
            }
            return Self.htmlResponse(html)
        }
    }
}
