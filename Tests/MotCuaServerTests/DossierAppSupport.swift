import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MotCuaCore
import MotCuaTestSupport
import NIOCore
@testable import MotCuaServer
@testable import MotCuaStore

/// The people of the dossier tests, each signed in with a bearer token.
enum People {
    static let centre = "000.00.30.H26", finance = "000.00.09.H26", justice = "000.00.05.H26", baDinh = "000.01.04.H26"
    static let password = "mat-khau-thu-nghiem"

    static let drafts: [String: AccountDraft] = [
        "citizen": AccountDraft(username: "citizen", password: password, fullName: "Trần Thị Bình", role: .citizen,
                                citizenId: "001190012345", phone: "0912345678"),
        "citizen2": AccountDraft(username: "citizen2", password: password, fullName: "Lê Văn Cường", role: .citizen,
                                 citizenId: "001085012346"),
        "intake": AccountDraft(username: "intake", password: password, fullName: "Cán bộ một cửa", role: .intakeOfficer, agencies: [centre]),
        "centreLeader": AccountDraft(username: "centre.leader", password: password, fullName: "Lãnh đạo trung tâm", role: .leader,
                                     agencies: [centre]),
        "specialist": AccountDraft(username: "specialist", password: password, fullName: "Chuyên viên Sở Tài chính",
                                   role: .processingOfficer, agencies: [finance]),
        "financeLeader": AccountDraft(username: "finance.leader", password: password, fullName: "Lãnh đạo Sở Tài chính", role: .leader,
                                      agencies: [finance]),
        "otherIntake": AccountDraft(username: "other.intake", password: password, fullName: "Một cửa phường", role: .intakeOfficer,
                                    agencies: [baDinh]),
        "stranger": AccountDraft(username: "stranger", password: password, fullName: "Chuyên viên Sở Tư pháp", role: .processingOfficer,
                                 agencies: [justice]),
        "agencyAdmin": AccountDraft(username: "centre.admin", password: password, fullName: "Quản trị trung tâm", role: .agencyAdmin,
                                    agencies: [centre]),
        "financeAdmin": AccountDraft(username: "finance.admin", password: password, fullName: "Quản trị Sở Tài chính", role: .agencyAdmin,
                                     agencies: [finance]),
        "systemAdmin": AccountDraft(username: "sysadmin", password: password, fullName: "Quản trị hệ thống", role: .systemAdmin),
    ]
}

/// A running application on a fresh database with the demo Hà Nội agencies and catalogue and
/// the people above signed in.
struct DossierApp: Sendable {
    let client: any TestClientProtocol
    let environment: AppEnvironment
    let tokens: [String: String]
    let accounts: [String: Account]

    struct Reply: @unchecked Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: [String: Any]
        let text: String
    }

    /// Calls the API as `who` (nil: anonymous), with a JSON body, an If-Match version and an Idempotency-Key.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, as who: String?, json body: String? = nil, version: Int? = nil,
              key: String? = nil, contentType: String = "application/json") async throws -> Reply {
        var headers: HTTPFields = [.contentType: contentType]
        if let who { headers[.authorization] = "Bearer \(tokens[who]!)" }
        if let version { headers[.ifMatch] = "\"\(version)\"" }
        if let key { headers[Headers.idempotencyKey] = key }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
            return Reply(status: response.status, headers: response.headers, body: object, text: text)
        }
    }

    static let calendar = WorkingCalendar(holidays: try! CalendarData.bundledHolidays.get())

    /// `.live` puts a real listening server (and its connection handlers) under the client.
    static func run(_ kind: DatabaseKind, policy: DossierPolicy = DossierPolicy(), testing: TestingSetup = .router,
                    _ body: @escaping @Sendable (DossierApp) async throws -> Void) async throws {
        try await TestDatabases.withFresh(kind) { database in
            try await Migrator(database: database).migrate(logger: TestDatabases.logger)
            try await UnitRepository(database: database).importUnits(try BundledUnitLists.reform2025().filter { $0.provinceCode == "01" })
            _ = try await DemoData.seedAgencies(database, TestDatabases.logger)
            _ = try await DemoData.seedCatalogue(database, TestDatabases.logger)
            let files = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-files-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: files) }
            let environment = AppEnvironment(database: database, calendar: calendar, adminToken: AgencyAPITests.token,
                                             loginPolicy: LoginPolicy(bcryptCost: 4), dossierPolicy: policy,
                                             documents: DocumentStore(root: files, maxBytes: 64 * 1024))
            var tokens: [String: String] = [:]
            var accounts: [String: Account] = [:]
            for (name, draft) in People.drafts {
                accounts[name] = try await environment.accounts.register(draft, by: AuthGate.tokenAdministrator)
                tokens[name] = try await environment.accounts.signIn(username: draft.username, password: draft.password, kind: .bearer).token
            }
            var configuration = AppConfiguration()
            (configuration.host, configuration.port) = ("127.0.0.1", 0)   // any free port when live
            let app = buildApplication(configuration, environment: environment, logger: TestDatabases.logger)
            let (signedIn, opened) = (tokens, accounts)
            try await app.test(testing) { client in
                try await body(DossierApp(client: client, environment: environment, tokens: signedIn, accounts: opened))
            }
        }
    }

    /// An online application for the company registration (received by the city centre; steps at
    /// the centre, then two at the Department of Finance, then back at the centre).
    static let companyApplication = """
        {"procedureCode":"2.001583","channel":"online","receivingAgency":"000.00.30.H26",
         "applicant":{"kind":"person","fullName":"Trần Thị Bình","citizenId":"001190012345","phone":"0912 345 678"}}
        """
}
