import Foundation
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaCore
@testable import MotCuaStore

/// A counter intake accepted at once is written in one go (the dossier already accepted, both
/// events together). What it leaves must be exactly what submitting and then accepting leaves.
@Suite struct CounterIntakeTests {
    static let centre = DossierServiceTests.centre
    static let at = DossierServiceTests.vnTime(23, 9)
    static let applicant = Applicant(fullName: "Trần Thị Bình", citizenId: "001190012345", phone: "0912345678",
                                     email: "binh@example.vn")

    @Test(arguments: TestDatabases.kinds)
    func acceptedAtOnceEqualsSubmitThenAccept(on kind: DatabaseKind) async throws {
        let atOnce = try await Self.rows(kind) { service in
            try await service.database.transaction { db in
                try await service.submit(.init(procedureCode: "2.001583", channel: .counter, receivingAgency: Self.centre,
                                               applicant: Self.applicant, acceptNow: true),
                                         by: DossierServiceTests.intake, at: Self.at, in: db)
            }
        }
        let inTwo = try await Self.rows(kind) { service in
            let submitted = try await service.submit(procedureCode: "2.001583", channel: .counter, receivingAgency: Self.centre,
                                                     applicant: Self.applicant, by: DossierServiceTests.intake, at: Self.at)
            return try await service.act(.accept, on: submitted.code, expectedVersion: 1, by: DossierServiceTests.intake, at: Self.at)
        }
        #expect(atOnce.dossier == inTwo.dossier)
        #expect(atOnce.dossier.version == 2 && atOnce.dossier.state.status == .accepted)
        #expect(atOnce.dossier.responsibleOfficer == DossierServiceTests.intake.actor.id)
        for table in Self.tables {
            #expect(atOnce.tables[table] == inTwo.tables[table], "\(table)")
            #expect(atOnce.tables[table]?.isEmpty == false, "\(table) has rows")
        }
        // Both events are in the history, in order, and the applicant is told of the acceptance.
        #expect(atOnce.tables["dossier_events"]?.count == 2)
        #expect(atOnce.tables["notification_outbox"]?.contains { $0.contains("sms") } == true)
    }

    static let tables = ["dossiers", "dossier_events", "dossier_agencies", "notification_outbox", "dossier_facts", "report_rollups"]

    /// What `act` leaves in every table it writes, on a fresh database (the write times aside).
    static func rows(_ kind: DatabaseKind, _ act: (DossierService) async throws -> StoredDossier)
        async throws -> (dossier: StoredDossier, tables: [String: [String]]) {
        try await TestDatabases.withFresh(kind) { database in
            try await CatalogueRepositoryTests.seeded(database)
            let service = DossierService(database: database, calendar: WorkingCalendar(holidays: try CalendarData.bundledHolidays.get()))
            let dossier = try await act(service)
            let tables = try await database.withConnection { db in
                var tables: [String: [String]] = [:]
                for table in Self.tables {
                    let rows = try await db.select().column("*").from(table).all()
                    tables[table] = try rows.map { row in
                        try row.allColumns.filter { $0 != "created_at" && $0 != "updated_at" }.sorted()
                            .map { "\($0)=\(try text(row, $0))" }.joined(separator: " ")
                    }.sorted()
                }
                return tables
            }
            return (dossier, tables)
        }
    }

    /// A column's value as text, whatever its type in either database.
    static func text(_ row: any SQLRow, _ column: String) throws -> String {
        if try row.decodeNil(column: column) { return "null" }
        if let value = try? row.decode(column: column, as: Int64.self) { return "\(value)" }
        if let value = try? row.decode(column: column, as: Bool.self) { return "\(value)" }
        return try row.decode(column: column, as: String.self)
    }
}
