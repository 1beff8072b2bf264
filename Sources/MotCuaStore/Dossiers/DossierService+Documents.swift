import Foundation
import MotCuaCore
import SQLKit

extension DossierService {
    /// Checks, before any byte is received, that the viewer may attach a file: the applicant while
    /// the dossier awaits acceptance or a supplement, an officer of the agency it is with while it is open.
    public func checkMayAttach(to code: String, by viewer: Viewer) async throws {
        try await database.withConnection { db in try await self.checkMayAttach(code, viewer, in: db) }
    }

    func checkMayAttach(_ code: String, _ viewer: Viewer, in db: any SQLDatabase) async throws {
        guard let dossier = try await DossierRepository.find(code, in: db), try await Self.maySee(dossier, viewer, in: db) else {
            throw StoreError.notFound("dossier \(code)")
        }
        let status = dossier.state.status
        if viewer.actor.role == .citizen {
            guard status == .submitted || status == .supplementRequested else {
                throw DossierError("dossier.not_in_status", "Chỉ nộp thêm giấy tờ khi hồ sơ chờ tiếp nhận hoặc được yêu cầu bổ sung")
            }
        } else {
            guard viewer.agencies.contains(dossier.currentAgency) else { throw DossierError("auth.forbidden", "Hồ sơ đang ở cơ quan khác") }
            guard !status.isFinal else { throw DossierError("dossier.not_in_status", "Hồ sơ đã kết thúc") }
        }
    }

    /// Records a received file (its bytes are already in the document store); a retry of the same
    /// file under the same label returns the first record.
    public func attach(_ document: DossierDocument, to code: String, by viewer: Viewer) async throws -> DossierDocument {
        try await database.transaction { db in
            try await self.checkMayAttach(code, viewer, in: db)
            let stored = try await DocumentRepository.add(document, to: code, in: db)
            try await self.recordDigitised(code, in: db)
            return stored
        }
    }

    public func documents(of code: String, by viewer: Viewer) async throws -> [DossierDocument] {
        _ = try await view(code, by: viewer)
        return try await database.withConnection { db in try await DocumentRepository.list(code, in: db) }
    }

    public func document(_ id: String, of code: String, by viewer: Viewer) async throws -> DossierDocument {
        _ = try await view(code, by: viewer)
        guard let document = try await database.withConnection({ db in try await DocumentRepository.find(id, of: code, in: db) }) else {
            throw StoreError.notFound("document \(id)")
        }
        return document
    }
}
