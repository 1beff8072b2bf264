import Foundation
import SQLKit
import MotCuaTestSupport
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

@Suite struct MigratorTests {
    @Test(arguments: TestDatabases.kinds)
    func migratesOnceAndRecordsWhatRan(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let migrator = Migrator(database: database)
            #expect(try await migrator.currentVersion() == 0)
            let first = try await migrator.migrate(logger: TestDatabases.logger)
            #expect(first.map(\.version) == Migrations.all.map(\.version))
            let second = try await migrator.migrate(logger: TestDatabases.logger)
            #expect(second.isEmpty)
            #expect(try await migrator.currentVersion() == Migrations.latestVersion)
            let recorded = try await database.withConnection { db in
                try await db.select().column("version").from("schema_migrations").orderBy("version").all(decodingColumn: "version", as: Int.self)
            }
            #expect(recorded == Migrations.all.map(\.version))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func refusesADatabaseNewerThanTheCode(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let migrator = Migrator(database: database)
            try await migrator.migrate(logger: TestDatabases.logger)
            try await database.withConnection { db in
                try await db.insert(into: "schema_migrations").columns("version", "name", "applied_at")
                    .values(SQLBind(Migrations.latestVersion + 1), SQLBind("from the future"), SQLBind("2030-01-01T00:00:00Z")).run()
            }
            await #expect(throws: MigrationError.databaseNewerThanCode(
                databaseVersion: Migrations.latestVersion + 1, codeVersion: Migrations.latestVersion)) {
                try await migrator.migrate(logger: TestDatabases.logger)
            }
        }
    }

    /// A migration that fails half-way leaves neither its first statement nor its record.
    @Test(arguments: TestDatabases.kinds)
    func aFailedMigrationLeavesNothing(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let broken = Migrations.all + [Migration(version: Migrations.latestVersion + 1, name: "broken", both: [
                "CREATE TABLE half_done (id INTEGER PRIMARY KEY)",
                "THIS IS NOT SQL",
            ])]
            let migrator = Migrator(database: database, migrations: broken)
            await #expect(throws: (any Error).self) { try await migrator.migrate(logger: TestDatabases.logger) }
            let version = try await migrator.currentVersion()
            #expect(version == Migrations.latestVersion)
            await #expect(throws: (any Error).self) {
                try await database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM half_done").run() }
            }
        }
    }

    @Test func numberingMustBeContiguous() async throws {
        try await TestDatabases.withFresh(.sqlite) { database in
            let gap = [Migration(version: 2, name: "gap", both: ["SELECT 1"])]
            await #expect(throws: MigrationError.self) { try await Migrator(database: database, migrations: gap).pending() }
        }
    }
}

@Suite struct DatabaseTests {
    @Test(arguments: TestDatabases.kinds)
    func transactionsCommitOrLeaveNothing(on kind: DatabaseKind) async throws {
        struct Boom: Error {}
        try await TestDatabases.withFresh(kind) { database in
            try await database.withConnection { try await $0.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)").run() }
            try await database.transaction { db in
                try await db.insert(into: "t").columns("id", "v").values(SQLBind(1), SQLBind("kept")).run()
            }
            await #expect(throws: Boom.self) {
                try await database.transaction { db in
                    try await db.insert(into: "t").columns("id", "v").values(SQLBind(2), SQLBind("lost")).run()
                    throw Boom()
                }
            }
            let values = try await database.withConnection { db in
                try await db.select().column("v").from("t").orderBy("id").all(decodingColumn: "v", as: String.self)
            }
            #expect(values == ["kept"])
            #expect(await database.isReachable())
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func concurrentWritersAllCommit(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await database.withConnection { try await $0.raw("CREATE TABLE c (id INTEGER PRIMARY KEY)").run() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in 1...40 {
                    group.addTask {
                        try await database.transaction { db in
                            try await db.insert(into: "c").columns("id").values(SQLBind(id)).run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM c").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 40)
        }
    }

    @Test func unreachableServerIsReportedNotThrown() async throws {
        let database = try Database.open(.postgres(url: "postgres://nobody@127.0.0.1:1/none?sslmode=disable"), logger: TestDatabases.logger)
        #expect(await database.isReachable() == false)
        try await database.close()
    }

    @Test func passwordsAreMaskedWhenPrinted() {
        #expect(DatabaseLocation.postgres(url: "postgres://u:secret@db:5432/motcua").description == "postgres://u:***@db:5432/motcua")
    }
}

@Suite struct CalendarNoticeRepositoryTests {
    @Test(arguments: TestDatabases.kinds)
    func recordedNoticesOverrideShippedOnes(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let repository = CalendarNoticeRepository(database: database)
            let shipped = try CalendarData.bundledNotices()
            var notice = YearNotice(year: 2027, source: "Thông báo thử nghiệm",
                                    daysOff: [.init(date: CivilDate(year: 2027, month: 2, day: 12)!, name: "Nghỉ thêm")])
            try await repository.save(notice)
            notice.workingDays = [.init(date: CivilDate(year: 2027, month: 2, day: 20)!, name: "Làm bù")]
            try await repository.save(notice)  // replaces, does not duplicate
            #expect(try await repository.all() == [notice])
            let effective = try await repository.effectiveNotices(shipped: shipped)
            #expect(effective.map(\.year) == shipped.map(\.year) + [2027])
            let calendar = WorkingCalendar(holidays: HolidayCalendar(rules: try CalendarData.bundledRules(), notices: effective))
            #expect(!calendar.isWorkingDay(CivilDate(year: 2027, month: 2, day: 12)!))
            #expect(calendar.isWorkingDay(CivilDate(year: 2027, month: 2, day: 20)!))
        }
    }
}

/// The inbox walks its index in deadline order; the status must be in it, so that closed
/// dossiers that keep a step deadline are passed over without reading their rows.
@Suite struct InboxIndexTests {
    @Test(arguments: TestDatabases.kinds)
    func theInboxIndexEndsWithTheStatus(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            let columns = try await database.withConnection { db -> [String] in
                switch kind {
                case .sqlite:
                    return try await db.raw("SELECT name FROM pragma_index_info('dossiers_inbox') ORDER BY seqno")
                        .all(decodingColumn: "name", as: String.self)
                case .postgres:
                    let definition = try await db.raw("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossiers_inbox'")
                        .first(decodingColumn: "indexdef", as: String.self) ?? ""
                    let inside = definition.split(separator: "(").last?.split(separator: ")").first ?? ""
                    return inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
            }
            #expect(columns == ["current_agency", "step_deadline_ms", "code", "status"])
        }
    }
}
