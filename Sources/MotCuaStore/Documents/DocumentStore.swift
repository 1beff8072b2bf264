import Crypto
import Foundation
import MotCuaCore

/// Why an upload was refused; nothing was kept.
public enum DocumentError: Error, Equatable, Sendable {
    case empty
    case tooLarge(limitBytes: Int)
    /// Not one of the accepted types, judged by content.
    case unsupportedType
    /// The client said one type; the content is another (or none).
    case typeMismatch(declared: String)
}

/// Dossier files on disk, outside the database, each under its SHA-256 (`objects/ab/cd/<digest>`):
/// the same file uploaded twice is stored once, and a file's name says nothing about its owner.
public struct DocumentStore: Sendable {
    public let root: URL
    public let maxBytes: Int

    public init(root: URL, maxBytes: Int = 10 * 1024 * 1024) {
        self.root = root
        self.maxBytes = maxBytes
    }

    public func url(forDigest digest: String) -> URL {
        root.appendingPathComponent("objects").appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent(String(digest.dropFirst(2).prefix(2))).appendingPathComponent(digest)
    }

    /// Starts receiving a file into a temporary file beside the objects.
    public func receive() throws -> DocumentWriter {
        let directory = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try DocumentWriter(store: self, temporary: directory.appendingPathComponent(UUID().uuidString))
    }
}

/// Receives one upload: writes it to a temporary file while hashing and counting it, refuses it as
/// soon as it passes the size limit, and on `finish` checks its type by content and moves it into
/// place, flushed to disk first so an acknowledged file survives a crash.
public final class DocumentWriter {
    let store: DocumentStore
    let temporary: URL
    private let handle: FileHandle
    private var hasher = SHA256()
    private var prefix: [UInt8] = []
    public private(set) var size = 0

    init(store: DocumentStore, temporary: URL) throws {
        self.store = store
        self.temporary = temporary
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw DatabaseError("cannot create \(temporary.lastPathComponent) in the documents folder")
        }
        handle = try FileHandle(forWritingTo: temporary)
    }

    public func append<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        size += bytes.count
        guard size <= store.maxBytes else {
            discard()
            throw DocumentError.tooLarge(limitBytes: store.maxBytes)
        }
        let data = Data(bytes)
        if prefix.count < DocumentType.signatureLength { prefix += data.prefix(DocumentType.signatureLength - prefix.count) }
        hasher.update(data: data)
        try handle.write(contentsOf: data)
    }

    /// The stored file's digest, size and type; `declared` is the client's Content-Type, if any.
    public func finish(declared: String?) throws -> (sha256: String, size: Int, type: DocumentType) {
        do {
            guard size > 0 else { throw DocumentError.empty }
            guard let type = DocumentType.detect(prefix) else {
                throw declared.map { DocumentError.typeMismatch(declared: $0) } ?? DocumentError.unsupportedType
            }
            if let declared, declared != type.rawValue { throw DocumentError.typeMismatch(declared: declared) }
            try handle.synchronize()
            try handle.close()
            let digest = Array(hasher.finalize()).hex
            let destination = store.url(forDigest: digest)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try FileManager.default.moveItem(at: temporary, to: destination)
            } catch where FileManager.default.fileExists(atPath: destination.path) {
                // The same bytes are already there (stored earlier, or by a concurrent upload): keep those.
                try? FileManager.default.removeItem(at: temporary)
            }
            return (digest, size, type)
        } catch {
            discard()
            throw error
        }
    }

    public func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
