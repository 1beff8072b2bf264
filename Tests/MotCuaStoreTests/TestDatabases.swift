import MotCuaTestSupport
import Testing

@Suite struct PostgresPresenceTests {
    @Test func postgresIsConfiguredWhenRequired() {
        if TestDatabases.environment["MOTCUA_TEST_REQUIRE_POSTGRES"] == "1" {
            #expect(TestDatabases.postgresURL != nil, "CI requires MOTCUA_TEST_POSTGRES_URL")
        }
        #expect(TestDatabases.kinds.contains(.sqlite))
    }
}
