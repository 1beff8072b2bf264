import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// Applying online from a procedure's page: the applicant's details (filled in from the account),
/// where to apply, and the fee that applies; a resubmitted form creates nothing new.
struct ApplyPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }

    static let fields: [(name: String, label: String, type: String, autocomplete: String, required: Bool)] = [
        ("fullName", "full_name", "text", "name", true), ("citizenId", "citizen_id", "text", "off", true),
        ("phone", "phone", "tel", "tel", true), ("email", "email", "email", "email", false),
        ("address", "address", "text", "address-line1", false),
    ]

    func register(on router: Router<AppRequestContext>) {
        router.get("thu-tuc/{code}/nop-ho-so") { request, context -> Response in
            let caller = try await citizen(request)
            let account = caller.account
            let values = ["fullName": account.fullName, "citizenId": account.citizenId ?? "", "phone": account.phone ?? "",
                          "email": account.email ?? ""]
            return try await form(request, code: try context.parameters.require("code"), caller: caller, values: values, errors: [:],
                                  key: PageKit.newToken(), status: .ok)
        }
        router.post("thu-tuc/{code}/nop-ho-so") { request, context -> Response in
            let code = try context.parameters.require("code")
            let form = try await PageKit.form(request)
            try PageKit.checkCSRF(request, form["csrf"])
            let caller = try await citizen(request)
            guard let procedure = try await CatalogueRepository(database: environment.database).find(code)?.document.procedure else {
                throw PageError(status: .notFound, messageKey: "error_not_found")
            }
            func text(_ name: String) -> String? {
                let value = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            var choices: [String: Int] = [:]
            for (index, fee) in procedure.fees.enumerated() where fee.table != nil {
                if let row = text("fee_\(index)").flatMap(Int.init) { choices[fee.name] = row }
            }
            let submission = DossierService.Submission(
                procedureCode: code, channel: .online, receivingAgency: text("receivingAgency") ?? "",
                applicant: Applicant(fullName: text("fullName") ?? "", citizenId: text("citizenId"), phone: text("phone"),
                                     email: text("email"), address: text("address")),
                feeChoices: choices)
            let key = String((text("key") ?? PageKit.newToken()).prefix(100))
            let idempotency = Idempotency.Request(scope: "page-dossiers:\(caller.account.id)", key: key, requestHash: code)
            let service = environment.dossiers
            let viewer = caller.viewer
            do {
                let checked = try submission.validated()
                let created = try await Idempotency.once(idempotency, in: environment.database) { db in
                    .init(status: 303, body: try await service.submit(checked, by: viewer, in: db).code)
                }
                return PageKit.redirect("/ho-so/\(created.body)")
            } catch let error as MotCuaCore.ValidationError {
                // The form was checked before its key: a form already sent under this key (then
                // edited after going back) leads to the dossier it created, as a plain resend does.
                if let previous = try await environment.database.withConnection({ db in try await Idempotency.lookup(idempotency, in: db) }) {
                    return PageKit.redirect("/ho-so/\(previous.body)")
                }
                let errors = Dictionary(error.issues.map { ($0.path.replacingOccurrences(of: "applicant.", with: ""), $0.message) },
                                        uniquingKeysWith: { first, _ in first })
                return try await self.form(request, code: code, caller: caller, values: form, errors: errors, key: key,
                                           status: .unprocessableContent)
            }
        }
    }

    func citizen(_ request: Request) async throws -> Caller {
        let caller = try await kit.requireCaller(request)
        guard caller.account.role == .citizen else { throw PageError(status: .forbidden, messageKey: "error_forbidden") }
        return caller
    }

    func form(_ request: Request, code: String, caller: Caller, values: [String: String], errors: [String: String], key: String,
              status: HTTPResponse.Status) async throws -> Response {
        guard let procedure = try await CatalogueRepository(database: environment.database).find(code)?.document.procedure,
              procedure.status == .published, procedure.channels.contains(.online)
        else { throw PageError(status: .notFound, messageKey: "error_not_found") }
        let strings = Language.of(request).language.strings
        var agencies: [[String: Any]] = []
        for agency in procedure.receivingAgencies {
            let name = try await AgencyRepository(database: environment.database).find(agency)?.agency.name ?? agency
            agencies.append(["code": agency, "name": name, "selected": values["receivingAgency"] == agency])
        }
        let fields: [[String: Any]] = Self.fields.map { field in
            var item: [String: Any] = ["name": field.name, "label": strings[field.label] ?? field.label, "type": field.type,
                                       "autocomplete": field.autocomplete, "required": field.required, "value": values[field.name] ?? ""]
            if let error = errors[field.name] { item["error"] = error }
            return item
        }
        let tableFees: [[String: Any]] = procedure.fees.enumerated().compactMap { index, fee in
            guard let table = fee.table, !table.isEmpty else { return nil }
            return ["index": index, "name": fee.name,
                    "rows": table.enumerated().map { row, entry in ["row": row, "label": "\(entry.description): \(Money.label(entry.amountVnd))"] }]
        }
        var page: [String: Any] = ["code": code, "name": procedure.name, "agencies": agencies, "fields": fields, "tableFees": tableFees,
                                   "key": key]
        if !errors.isEmpty { page["failure"] = strings["error_invalid"] ?? "" }
        return kit.page("apply", title: "apply_title", page, request: request, caller: caller, status: status)
    }
}
