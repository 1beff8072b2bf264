import Foundation
import MotCuaCore
import SQLKit

/// The files of each dossier. Rows are only ever added.
enum DocumentRepository {
    static let columns = ["id", "label", "filename", "content_type", "size_bytes", "sha256", "uploaded_by", "uploaded_role", "uploaded_at_ms"]

    /// Adds the document, or returns the one already there with the same content and label (a retried upload).
    static func add(_ document: DossierDocument, to code: String, in db: any SQLDatabase) async throws -> DossierDocument {
        if let existing = try await query(code, db).where("sha256", .equal, document.sha256).where("label", .equal, document.label)
            .first().map(decode) {
            return existing
        }
        try await db.insert(into: "dossier_documents")
            .columns(["dossier_code"] + columns)
            .values(SQLBind(code), SQLBind(document.id), SQLBind(document.label), SQLBind(document.filename),
                    SQLBind(document.type.rawValue), SQLBind(document.sizeBytes), SQLBind(document.sha256),
                    SQLBind(document.uploadedBy.id), SQLBind(document.uploadedBy.role.rawValue),
                    SQLBind(StoredTime.ms(document.uploadedAt)))
            .run()
        return document
    }

    static func list(_ code: String, in db: any SQLDatabase) async throws -> [DossierDocument] {
        try await query(code, db).orderBy("uploaded_at_ms").orderBy("id").all().map(decode)
    }

    static func find(_ id: String, of code: String, in db: any SQLDatabase) async throws -> DossierDocument? {
        try await query(code, db).where("id", .equal, id).first().map(decode)
    }

    private static func query(_ code: String, _ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns(columns.map { SQLColumn($0) }).from("dossier_documents").where("dossier_code", .equal, code)
    }

    static func decode(_ row: any SQLRow) throws -> DossierDocument {
        DossierDocument(
            id: try row.decode(column: "id", as: String.self), label: try row.decode(column: "label", as: String.self),
            filename: try row.decode(column: "filename", as: String.self),
            type: DocumentType(rawValue: try row.decode(column: "content_type", as: String.self)) ?? .pdf,
            sizeBytes: try row.decode(column: "size_bytes", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
            uploadedBy: DossierActor(id: try row.decode(column: "uploaded_by", as: String.self),
                                     role: DossierRole(rawValue: try row.decode(column: "uploaded_role", as: String.self)) ?? .citizen),
            uploadedAt: StoredTime.date(try row.decode(column: "uploaded_at_ms", as: Int64.self)))
    }
}
