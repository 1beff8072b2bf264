import Foundation
import Logging
import MotCuaStore

/// The databases every store and server test runs on: SQLite always, PostgreSQL when
/// MOTCUA_TEST_POSTGRES_URL is set. CI sets MOTCUA_TEST_REQUIRE_POSTGRES=1 so a missing server is a
/// failure, not a skip, and MOTCUA_TEST_POSTGRES_MARKER to a file that proves the suite ran.
public enum TestDatabases {
    public static let environment = ProcessInfo.processInfo.environment
    public static let postgresURL = environment["MOTCUA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    public static var kinds: [DatabaseKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static let logger: Logger = {
        var logger = Logger(label: "motcua.test")
        logger.logLevel = .warning
        return logger
    }()

    static let postgresSlots = TestSlots(8)

    /// Runs `body` on a new, empty database of the kind, and removes it afterwards.
    public static func withFresh<R>(_ kind: DatabaseKind, _ body: (Database) async throws -> R) async throws -> R {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try Database.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path), logger: logger)
            do {
                let result = try await body(database)
                try await database.close()
                return result
            } catch {
                try? await database.close()
                throw error
            }
        case .postgres:
            guard let url = postgresURL else { throw DatabaseError("MOTCUA_TEST_POSTGRES_URL is not set") }
            markPostgresRan()
            // 8 databases of 4 + 1 connections stay well under PostgreSQL's default 100.
            await postgresSlots.acquire()
            defer { Task { await postgresSlots.release() } }
            let name = "motcua_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
            let admin = try Database.open(.postgres(url: url), logger: logger, maxConnections: 1)
            var database: Database?
            do {
                try await admin.withConnection { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
                let opened = try Database.open(.postgres(url: replacingDatabase(in: url, with: name)), logger: logger)
                database = opened
                let result = try await body(opened)
                try await opened.close()
                try await admin.withConnection { try await $0.raw("DROP DATABASE \(unsafeRaw: name)").run() }
                try await admin.close()
                return result
            } catch {
                // Every pool is shut down whatever failed (an unreachable server, a wrong password, the
                // test itself), so that the run reports the failure instead of crashing on a dropped pool.
                try? await database?.close()
                try? await admin.withConnection { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run() }
                try? await admin.close()
                throw error
            }
        }
    }

    public static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }

    public static func markPostgresRan() {
        guard let marker = environment["MOTCUA_TEST_POSTGRES_MARKER"] else { return }
        FileManager.default.createFile(atPath: marker, contents: Data("ran\n".utf8))
    }
}

