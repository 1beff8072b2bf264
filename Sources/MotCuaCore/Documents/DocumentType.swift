import Foundation

/// The file types a dossier accepts, recognised by their first bytes, never by name or by what
/// the client claims: a renamed executable is not a PDF.
public enum DocumentType: String, Codable, Sendable, CaseIterable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"

    /// Bytes needed to recognise every type.
    public static let signatureLength = 8

    public static func detect<Bytes: Collection>(_ prefix: Bytes) -> DocumentType? where Bytes.Element == UInt8 {
        let bytes = Array(prefix.prefix(signatureLength))
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    public var fileExtension: String {
        switch self {
        case .pdf: return "pdf"
        case .png: return "png"
        case .jpeg: return "jpg"
        }
    }
}

/// A file attached to a dossier: what it is, who gave it, and its digest. The bytes live outside
/// the database, addressed by the digest.
public struct DossierDocument: Codable, Hashable, Sendable {
    public let id: String
    /// Which paper this is, as the procedure names it ("Tờ khai", "Bản sao CCCD").
    public let label: String
    public let filename: String
    public let type: DocumentType
    public let sizeBytes: Int
    public let sha256: String
    public let uploadedBy: DossierActor
    public let uploadedAt: Date

    public init(id: String, label: String, filename: String, type: DocumentType, sizeBytes: Int, sha256: String,
                uploadedBy: DossierActor, uploadedAt: Date) {
        self.id = id
        self.label = label
        self.filename = filename
        self.type = type
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}
