import Foundation
import MotCuaCore
import MotCuaTestSupport
import Testing
@testable import MotCuaStore

/// Every authenticated request asks who is behind its token; the answers are held for a second.
/// A session ended in this process must end at once all the same, and an expired one at its time.
/// Serialized: the count of session writes is the process's, and a sign-out in a neighbouring
/// test would make a copy be read again, hiding a missing count. (Another suite's sign-out can
/// still do so; run alone, this suite fails without the counts.)
@Suite(.serialized) struct SessionCacheTests {
    static let password = "mat-khau-thu-nghiem"

    /// A service whose session copies follow `rule`, on a migrated database with one citizen.
    static func service(_ database: Database, rule: HoldingRule, capacity: Int = 10_000) async throws -> AccountService {
        try await Migrator(database: database).migrate(logger: TestDatabases.logger)
        let service = AccountService(database: database, policy: LoginPolicy(bcryptCost: 4),
                                     sessions: SessionCache(rule: rule, capacity: capacity))
        _ = try await service.register(AccountDraft(username: "binh", password: password, fullName: "Trần Thị Bình", role: .citizen,
                                                    citizenId: "001190012345"), by: nil)
        return service
    }

    /// A session deleted by another server (here, straight SQL) still opens this one's requests
    /// until its copy is a second old, and no longer after.
    @Test(arguments: TestDatabases.kinds)
    func anEndElsewhereIsSeenWithinTheSecond(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let clock = TestClock()
            let service = try await Self.service(database, rule: clock.rule)
            let signedIn = try await service.signIn(username: "binh", password: Self.password, kind: .bearer)
            #expect(try await service.account(forToken: signedIn.token)?.fullName == "Trần Thị Bình")
            try await database.withConnection { db in
                try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: SessionRepository.hash(signedIn.token))").run()
            }
            clock.advance(.milliseconds(900))
            #expect(try await service.account(forToken: signedIn.token)?.id == signedIn.account.id)
            clock.advance(.milliseconds(200))
            #expect(try await service.account(forToken: signedIn.token) == nil)
            #expect(service.sessions.count == 0)
        }
    }

    /// Signing out, and being locked out, end the session for the very next request, though
    /// its copy is held (the clock of the rule does not move; the count of writes is the process's).
    @Test(arguments: TestDatabases.kinds)
    func anEndHereIsSeenAtOnce(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let clock = TestClock()
            let rule = HoldingRule(keepFor: .seconds(1), now: { clock.now }, writes: { ReferenceWrites.generation(of: .sessions) })
            let service = try await Self.service(database, rule: rule)
            let first = try await service.signIn(username: "binh", password: Self.password, kind: .bearer)
            #expect(try await service.account(forToken: first.token) != nil)
            try await service.signOut(token: first.token)
            #expect(try await service.account(forToken: first.token) == nil)

            let second = try await service.signIn(username: "binh", password: Self.password, kind: .cookie)
            #expect(try await service.account(forToken: second.token) != nil)
            for _ in 0..<5 {
                await #expect(throws: AuthError.self) {
                    _ = try await service.signIn(username: "binh", password: "sai-mat-khau", kind: .bearer)
                }
            }
            #expect(try await service.account(forToken: second.token) == nil)
        }
    }

    /// A held session past its expiry opens nothing, though its copy is still within the second.
    @Test(arguments: TestDatabases.kinds)
    func anExpiredSessionIsRefusedThoughHeld(on kind: DatabaseKind) async throws {
        try await TestDatabases.withFresh(kind) { database in
            let clock = TestClock()
            let service = try await Self.service(database, rule: clock.rule)
            let now = Date()
            let signedIn = try await service.signIn(username: "binh", password: Self.password, kind: .cookie, at: now)
            #expect(try await service.account(forToken: signedIn.token, at: now) != nil)
            let justBefore = signedIn.expires.addingTimeInterval(-1), after = signedIn.expires.addingTimeInterval(1)
            #expect(try await service.account(forToken: signedIn.token, at: justBefore) != nil)
            #expect(try await service.account(forToken: signedIn.token, at: after) == nil)
            #expect(service.sessions.count == 1)
        }
    }

    /// Past its capacity the cache drops the copies no longer held, then all, and keeps working.
    @Test func aFullCacheDropsOldCopiesFirst() async throws {
        try await TestDatabases.withFresh(.sqlite) { database in
            let clock = TestClock()
            let service = try await Self.service(database, rule: clock.rule, capacity: 2)
            var tokens: [String] = []
            for _ in 0..<3 { tokens.append(try await service.signIn(username: "binh", password: Self.password, kind: .bearer).token) }
            #expect(try await service.account(forToken: tokens[0]) != nil)
            // A write here: the first copy is no longer held, though still kept.
            clock.wrote()
            #expect(try await service.account(forToken: tokens[1]) != nil)
            #expect(service.sessions.count == 2)
            // Full: the first copy goes, and the third takes its place.
            #expect(try await service.account(forToken: tokens[2]) != nil)
            #expect(service.sessions.count == 2)
            // Full of held copies: all go, then the first comes back alone.
            #expect(try await service.account(forToken: tokens[0]) != nil)
            #expect(service.sessions.count == 1)
        }
    }

    /// The accounts' personal data does not stay in memory: a copy past its time goes at the
    /// next use of the cache, and signing out drops that session's copy at once.
    @Test func copiesGoWhenTheirTimeIsUpOrTheirSessionEnds() async throws {
        try await TestDatabases.withFresh(.sqlite) { database in
            let clock = TestClock()
            let service = try await Self.service(database, rule: clock.rule)
            let first = try await service.signIn(username: "binh", password: Self.password, kind: .bearer)
            let second = try await service.signIn(username: "binh", password: Self.password, kind: .bearer)
            #expect(try await service.account(forToken: first.token) != nil)
            clock.advance(.milliseconds(1100))
            #expect(try await service.account(forToken: second.token) != nil)
            #expect(service.sessions.count == 1)
            try await service.signOut(token: second.token)
            #expect(service.sessions.count == 0)
        }
    }
}
