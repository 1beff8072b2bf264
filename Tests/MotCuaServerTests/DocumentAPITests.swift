import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import NIOCore
import Testing
@testable import MotCuaServer
@testable import MotCuaStore

/// Files attached to dossiers: kept outside the database under their SHA-256, type judged by
/// content, size-limited, downloadable only by those who may see the dossier.
@Suite struct DocumentAPITests {
    static let pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

    func upload(_ app: DossierApp, _ code: String, as who: String, label: String = "Tờ khai", body: String = pdf,
                contentType: String = "application/pdf") async throws -> DossierApp.Reply {
        let encoded = label.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try await app.call(.post, "/api/v1/dossiers/\(code)/documents?label=\(encoded)&filename=to-khai.pdf", as: who,
                                  json: body, contentType: contentType)
    }

    func leftovers(_ app: DossierApp) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: app.environment.documents.root.appendingPathComponent("tmp").path)) ?? []
    }

    @Test(arguments: TestDatabases.kinds)
    func uploadListDownloadAndRefusals(on kind: DatabaseKind) async throws {
        try await DossierApp.run(kind) { app in
            let created = try await app.call(.post, "/api/v1/dossiers", as: "citizen", json: DossierApp.companyApplication)
            let code = try #require(created.body["code"] as? String)

            // Stored under its digest, outside the database.
            let first = try await upload(app, code, as: "citizen")
            #expect(first.status == .created, "\(first.text)")
            let digest = SHA256.hash(data: Data(Self.pdf.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(first.body["sha256"] as? String == digest && first.body["sizeBytes"] as? Int == Self.pdf.utf8.count)
            #expect(first.body["label"] as? String == "Tờ khai" && first.body["contentType"] as? String == "application/pdf")
            #expect(FileManager.default.contents(atPath: app.environment.documents.url(forDigest: digest).path) == Data(Self.pdf.utf8))
            // A retry of the same file and label gives the first record, not a second one.
            let retry = try await upload(app, code, as: "citizen")
            #expect(retry.body["id"] as? String == first.body["id"] as? String)

            // An executable renamed to PDF, an unknown type, an empty file, a file over the limit: refused, nothing kept.
            let exe = try await upload(app, code, as: "citizen", body: "MZ\u{0090}\u{0000}fake")
            #expect(exe.status == .unsupportedMediaType && exe.body["code"] as? String == "document.type_mismatch")
            let unknown = try await upload(app, code, as: "citizen", body: "plain text", contentType: "application/octet-stream")
            #expect(unknown.status == .unsupportedMediaType && unknown.body["code"] as? String == "document.unsupported_type")
            #expect(try await upload(app, code, as: "citizen", body: "").status == .unprocessableContent)
            // A malformed Content-Type is no type declared, not a crash.
            #expect(try await upload(app, code, as: "citizen", label: "Bản sao", contentType: ";").status == .created)
            #expect(try await upload(app, code, as: "citizen", label: "Bản sao 2", contentType: "").status == .created)
            let big = try await upload(app, code, as: "citizen", body: Self.pdf + String(repeating: "x", count: 64 * 1024))
            #expect(big.status == .contentTooLarge && big.body["detail"] as? String == "Mỗi tệp tối đa 64 KB")
            #expect(try await upload(app, code, as: "citizen", label: "  ").status == .unprocessableContent)
            #expect(leftovers(app).isEmpty)

            // Another citizen and another agency's officer learn nothing.
            #expect(try await upload(app, code, as: "citizen2").status == .notFound)
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)/documents", as: "stranger").status == .notFound)

            let list = try await app.call(.get, "/api/v1/dossiers/\(code)/documents", as: "intake")
            #expect((list.body["items"] as? [[String: Any]])?.count == 3)
            let id = try #require(first.body["id"] as? String)
            try await app.client.execute(uri: "/api/v1/dossiers/\(code)/documents/\(id)", method: .get,
                                         headers: [.authorization: "Bearer \(app.tokens["intake"]!)"]) { response in
                #expect(response.status == .ok && String(buffer: response.body) == Self.pdf)
                #expect(response.headers[.contentType] == "application/pdf" && response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            }
            #expect(try await app.call(.get, "/api/v1/dossiers/\(code)/documents/\(id)", as: "citizen2").status == .notFound)

            // Once accepted, the applicant adds papers only when a supplement is asked for.
            #expect(try await app.call(.post, "/api/v1/dossiers/\(code)/accept", as: "intake", version: 1).status == .ok)
            let afterAccept = try await upload(app, code, as: "citizen", label: "Điều lệ")
            #expect(afterAccept.status == .conflict && afterAccept.body["code"] as? String == "dossier.not_in_status")
            #expect(try await upload(app, code, as: "intake", label: "Bản quét").status == .created)
        }
    }

    @Test func filenamesAreCleaned() {
        #expect(DocumentRoutes.safeFilename("../../etc/passwd") == "passwd")
        #expect(DocumentRoutes.safeFilename("C:\\giay to\\to khai.pdf") == "to khai.pdf")
        #expect(DocumentRoutes.safeFilename("..") == "tep")
        #expect(DocumentType.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg && DocumentType.detect(Array("GIF89a".utf8)) == nil)
    }
}
