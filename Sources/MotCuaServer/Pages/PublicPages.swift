import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// Pages anyone reads: procedure search, a procedure, and tracking by code.
struct PublicPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, _ -> Response in
            let q = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            var context: [String: Any] = ["q": q]
            if !q.isEmpty {
                var filters = CatalogueFilters()
                filters.query = String(q.prefix(200))
                let found = try await CatalogueRepository(database: environment.database).search(filters, offset: 0, limit: 20)
                context["searched"] = true
                context["has_results"] = !found.isEmpty
                context["results"] = found.map { ["code": $0.code, "name": $0.name, "field": $0.field] }
            }
            return kit.page("home", title: "home_title", context, request: request, caller: await kit.caller(request))
        }
        router.get("thu-tuc/{code}") { request, context -> Response in
            let code = try context.parameters.require("code")
            guard let stored = try await CatalogueRepository(database: environment.database).find(code),
                  stored.document.procedure.status == .published
            else { throw PageError(status: .notFound, messageKey: "error_not_found") }
            let procedure = stored.document.procedure
            let strings = Language.of(request).language.strings
            var names: [String] = []
            for agency in procedure.receivingAgencies {
                names.append(try await AgencyRepository(database: environment.database).find(agency)?.agency.name ?? agency)
            }
            let fees: [[String: Any]] = procedure.fees.map { fee in
                let rows = (fee.table ?? []).map { "\($0.description): \(Money.label($0.amountVnd))" }
                return ["name": fee.name, "amount": fee.amountVnd.map(Money.label) ?? "", "rows": rows, "has_rows": !rows.isEmpty]
            }
            let page: [String: Any] = [
                "code": procedure.code, "name": procedure.name, "description": procedure.description ?? "", "field": procedure.field,
                "timeLimit": Self.timeLimit(procedure.timeLimit, strings), "onlineLevel": procedure.onlineLevel.rawValue,
                "documents": procedure.documents.map {
                    PageKit.withoutEmpty(["name": $0.name, "copies": $0.copies, "required": $0.requirement == .mandatory,
                                          "condition": $0.condition ?? ""])
                },
                "fees": fees, "has_fees": !fees.isEmpty, "agencies": names, "legalBasis": procedure.legalBasis,
                "online": procedure.channels.contains(.online),
            ]
            return kit.page("procedure", title: procedure.name, PageKit.withoutEmpty(page), request: request,
                            caller: await kit.caller(request))
        }
        router.get("tra-cuu") { request, context -> Response in
            let query = request.uri.queryParameters
            let code = query["code"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            let digits = query["digits"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            var page: [String: Any] = ["code": code, "digits": digits]
            if !code.isEmpty {
                if digits.count != 4 || !digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    page["digitsError"] = true
                } else {
                    try await environment.auth.admitTracking(code: code, from: context.peer)
                    do {
                        let found = try await environment.dossiers.track(code, lastFourDigits: digits)
                        page["result"] = PageKit.withoutEmpty([
                            "code": found.code, "statusLabel": found.status.label, "submittedAt": PageKit.dateTime(found.submittedAt),
                            "appointment": PageKit.dateTime(found.appointment), "finishedAt": PageKit.dateTime(found.finishedAt),
                        ])
                    } catch StoreError.notFound {
                        page["notFound"] = true
                    }
                }
            }
            return kit.page("track", title: "track_title", page, request: request, caller: await kit.caller(request))
        }
    }

    static func timeLimit(_ limit: TimeLimit, _ strings: [String: String]) -> String {
        if let days = limit.workingDays { return "\(days) \(strings["procedure_working_days"] ?? "")" }
        return "\(limit.workingHours ?? 0) \(strings["procedure_working_hours"] ?? "")"
    }
}
