import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore
import SQLKit

/// A leader's watch over their agency: overdue and due-soon dossiers per officer.
struct LeaderPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }

    func register(on router: Router<AppRequestContext>) {
        router.get("lanh-dao/han-xu-ly") { request, _ -> Response in
            let caller = try await kit.requireCaller(request)
            guard caller.account.role == .leader, let first = caller.account.agencies.first else {
                throw PageError(status: .forbidden, messageKey: "error_forbidden")
            }
            let asked = request.uri.queryParameters["agency"].map(String.init)
            let agency = asked.flatMap { caller.account.agencies.contains($0) ? $0 : nil } ?? first
            let watch = try await environment.dossiers.deadlines(agency: agency, by: caller.viewer)
            let strings = Language.of(request).language.strings
            let all = watch.overdue + watch.dueSoon
            let ids = Array(Set(all.compactMap(\.responsibleOfficer))).sorted()
            let (names, agencyNames) = try await environment.database.withConnection { db -> ([String: String], [String: String]) in
                var names: [String: String] = [:]
                if !ids.isEmpty {
                    for row in try await db.select().columns("id", "full_name").from("accounts").where("id", .in, ids).all() {
                        names[try row.decode(column: "id", as: String.self)] = try row.decode(column: "full_name", as: String.self)
                    }
                }
                var agencyNames: [String: String] = [:]
                for code in caller.account.agencies {
                    agencyNames[code] = try await AgencyRepository.find(code, in: db)?.agency.name ?? code
                }
                return (names, agencyNames)
            }
            func line(_ dossier: StoredDossier) -> [String: Any] {
                ["code": dossier.code, "stepDeadline": PageKit.dateTime(dossier.state.stepDeadline)]
            }
            let officers: [[String: Any]] = watch.byOfficer.map { entry in
                ["name": entry.officer.map { names[$0] ?? $0 } ?? strings["unassigned"] ?? "",
                 "overdue": entry.overdue.map(line), "dueSoon": entry.dueSoon.map(line)]
            }
            let page: [String: Any] = [
                "agencyName": agencyNames[agency] ?? agency, "overdueCount": watch.overdue.count, "dueSoonCount": watch.dueSoon.count,
                "officers": officers, "has_officers": !officers.isEmpty, "multipleAgencies": caller.account.agencies.count > 1,
                "agencies": caller.account.agencies.map { ["code": $0, "name": agencyNames[$0] ?? $0, "selected": $0 == agency] as [String: Any] },
            ]
            return kit.page("leader", title: "leader_title", page, request: request, caller: caller)
        }
    }
}
