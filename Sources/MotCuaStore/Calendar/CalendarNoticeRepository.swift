import Foundation
import MotCuaCore
import SQLKit

/// Yearly notices a province records in its own database; they win over the shipped file.
public struct CalendarNoticeRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func all() async throws -> [YearNotice] {
        let documents = try await database.withConnection { db in
            try await db.select().column("document").from("calendar_notices").orderBy("year")
                .all(decodingColumn: "document", as: String.self)
        }
        return try documents.map { try JSONDecoder().decode(YearNotice.self, from: Data($0.utf8)) }
    }

    /// Records the notice of its year, replacing the one recorded before.
    public func save(_ notice: YearNotice) async throws {
        let document = try StoredJSON.text(notice)
        let updatedAt = now()
        try await database.transaction { db in
            try await db.insert(into: "calendar_notices")
                .columns("year", "document", "updated_at")
                .values(SQLBind(notice.year), SQLBind(document), SQLBind(updatedAt))
                .onConflict(with: ["year"]) { $0.set(excludedValueOf: "document").set(excludedValueOf: "updated_at") }
                .run()
        }
    }

    /// The shipped notices with this database's notices laid over them, year by year.
    public func effectiveNotices(shipped: [YearNotice]) async throws -> [YearNotice] {
        var byYear = Dictionary(shipped.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        for notice in try await all() { byYear[notice.year] = notice }
        return byYear.values.sorted { $0.year < $1.year }
    }
}
