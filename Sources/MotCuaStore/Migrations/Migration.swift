/// One numbered schema change. The two dialects' statements sit side by side and must mean the
/// same thing; each migration file holds exactly one change.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sqlite: [String]
    public let postgres: [String]

    public init(version: Int, name: String, sqlite: [String], postgres: [String]) {
        self.version = version
        self.name = name
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// When both dialects share the statements.
    public init(version: Int, name: String, both statements: [String]) {
        self.init(version: version, name: name, sqlite: statements, postgres: statements)
    }

    func statements(for kind: DatabaseKind) -> [String] {
        kind == .sqlite ? sqlite : postgres
    }
}

/// Every migration MotCua knows, in order. Append; never edit or renumber one that has shipped.
public enum Migrations {
    public static let all: [Migration] = [
        m0001CreateCalendarNotices,
        m0002CreateAdminUnits,
        m0003CreateAdminUnitSuccessors,
        m0004CreateAgencies,
        m0005CreateIdempotencyKeys,
        m0006CreateProcedures,
        m0007CreateProcedureAgencies,
        m0008CreateProcessVersions,
        m0009CreateDossierCodeSequences,
        m0010CreateDossiers,
        m0011CreateDossierEvents,
        m0012CreateDossierAgencies,
        m0013CreateAccounts,
        m0014CreateAccountAgencies,
        m0015CreateSessions,
        m0016AddDossierResponsibleOfficer,
        m0017CreateNotificationOutbox,
        m0018CreateDossierDocuments,
        m0019ProtectDossierHistory,
        m0020CreateDossierFacts,
        m0021CreateReportRollups,
        m0022CreateReportDurations,
        m0023AddAllTimeRollups,
        m0024InboxIndexWithStatus,
        m0025DossierProcessVersionExists,
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
