import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// A citizen's dossiers, an officer's inbox, one dossier with its history, and its forms to print.
/// Access is the dossier service's, as for the API.
struct DossierPages {
    let kit: PageKit
    var environment: AppEnvironment { kit.environment }
    var service: DossierService { environment.dossiers }

    func register(on router: Router<AppRequestContext>) {
        router.get("ho-so-cua-toi") { request, _ -> Response in
            let caller = try await kit.requireCaller(request)
            guard caller.account.role == .citizen else { return PageKit.redirect("/can-bo/ho-so") }
            let dossiers = try await service.mine(caller.viewer, before: nil, limit: 100)
            let rows = dossiers.map { ["code": $0.code, "statusLabel": $0.state.status.label,
                                       "appointment": PageKit.dateTime($0.state.appointment)] }
            return kit.page("mine", title: "mine_title", ["dossiers": rows, "has_dossiers": !rows.isEmpty], request: request, caller: caller)
        }
        router.get("can-bo/ho-so") { request, _ -> Response in
            let caller = try await kit.requireCaller(request)
            guard caller.viewer.isOfficer else { throw PageError(status: .forbidden, messageKey: "error_forbidden") }
            let query = request.uri.queryParameters
            let due = query["due"].map(String.init) ?? ""
            let after = query["cursor"].flatMap { Data(base64URL: String($0)) }.flatMap { String(data: $0, encoding: .utf8) }
                .flatMap(DossierRepository.inboxPosition)
            let limit = 50
            let procedure = query["procedure"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            let found = try await service.inbox(for: caller.viewer, overdueOnly: due == "overdue", dueSoonOnly: due == "soon",
                                                procedureCode: procedure.isEmpty ? nil : procedure, after: after, limit: limit + 1)
            let strings = Language.of(request).language.strings
            let rows: [[String: Any]] = found.prefix(limit).map { dossier in
                let time = service.judge(dossier.state.stepDeadline, of: dossier.state) ?? .onSchedule
                return ["code": dossier.code, "procedureCode": dossier.procedureCode, "statusLabel": dossier.state.status.label,
                        "stepDeadline": PageKit.dateTime(dossier.state.stepDeadline), "timeStatus": time.rawValue,
                        "timeLabel": strings["time_\(time.rawValue)"] ?? time.rawValue]
            }
            var page: [String: Any] = ["dossiers": rows, "has_dossiers": !rows.isEmpty, "due": due, "procedure": procedure,
                                       "dueQuery": PageKit.urlEncoded(due), "procedureQuery": PageKit.urlEncoded(procedure),
                                       "dueAll": due.isEmpty, "dueSoon": due == "soon", "dueOverdue": due == "overdue"]
            if found.count > limit, let last = found.prefix(limit).last {
                page["nextCursor"] = Data(DossierRepository.inboxKey(last).utf8).base64URL
            }
            return kit.page("inbox", title: "inbox_title", page, request: request, caller: caller)
        }
        router.get("ho-so/{code}") { request, context -> Response in
            try await dossierPage(request, code: try context.parameters.require("code"))
        }
        router.post("ho-so/{code}/{verb}") { request, context -> Response in
            try await act(request, code: try context.parameters.require("code"), verb: try context.parameters.require("verb"))
        }
        router.get("ho-so/{code}/mau/{form}") { request, context -> Response in
            let caller = try await kit.requireCaller(request)
            guard let kind = FormKind(rawValue: try context.parameters.require("form")) else {
                throw PageError(status: .notFound, messageKey: "error_not_found")
            }
            let html: String
            do {
                html = try await service.form(kind, of: try context.parameters.require("code"), by: caller.viewer)
            } catch FormRenderer.Failure.notIssued {
                throw PageError(status: .notFound, messageKey: "error_not_found")
            }
            return FormRoutes.htmlResponse(html)
        }
    }

    func dossierPage(_ request: Request, code: String) async throws -> Response {
            let caller = try await kit.requireCaller(request)
            let dossier = try await service.view(code, by: caller.viewer)
            let events = try await service.history(code, by: caller.viewer)
            let documents = try await service.documents(of: code, by: caller.viewer)
            let strings = Language.of(request).language.strings
            let (procedureName, process, agencyName) = try await environment.database.withConnection { db in
                let stored = try await CatalogueRepository.find(dossier.procedureCode, in: db)
                let agency = try await AgencyRepository.find(dossier.currentAgency, in: db)?.agency.name
                return (stored?.document.procedure.name ?? dossier.procedureCode,
                        stored?.document.processes.first { $0.version == dossier.processVersion }, agency ?? dossier.currentAgency)
            }
            let body = DossierBody(dossier, process: process, service: service)
            var page: [String: Any] = [
                "code": code, "procedureName": procedureName, "applicantName": dossier.applicant.organisationName ?? dossier.applicant.fullName,
                "statusLabel": dossier.state.status.label, "submittedAt": PageKit.dateTime(dossier.state.submittedAt),
                "appointment": PageKit.dateTime(dossier.state.appointment), "timeStatus": body.timeStatus ?? "",
                "timeLabel": body.timeStatus.flatMap { strings["time_\($0)"] } ?? "", "currentAgency": agencyName,
                "feesDue": dossier.state.feesDueVnd > 0 ? Money.label(dossier.state.feesDueVnd) : "",
                "missing": dossier.state.missingDocuments, "has_missing": !dossier.state.missingDocuments.isEmpty,
                "documents": documents.map { document -> [String: Any] in
                    ["id": document.id, "label": document.label, "filename": document.filename]
                },
                "has_documents": !documents.isEmpty,
            ]
            page["events"] = events.map(Self.eventLine)
            let issued: [FormKind] = FormKind.allCases.filter { kind in
                guard let command = kind.command else { return true }
                return events.contains { $0.command == command }
            }
            page["forms"] = issued.map { kind -> [String: Any] in ["number": kind.rawValue, "title": kind.title, "dossierCode": code] }
            let stepCount = process?.steps.count ?? 0
            let verbs = caller.viewer.isOfficer && !caller.viewer.agencies.contains(dossier.currentAgency) ? []
                : DossierCommand.available(to: caller.account.role, for: dossier.state, stepCount: stepCount)
            page["actions"] = verbs.map { name in Self.action(name, code: code, version: dossier.version, strings: strings) }
            page["has_actions"] = !verbs.isEmpty
            page["citizenView"] = caller.account.role == .citizen
            page["canUpload"] = (try? await service.checkMayAttach(to: code, by: caller.viewer)) != nil
            page["maxBytes"] = environment.documents.maxBytes
            if let rating = dossier.state.rating {
                page["rating"] = (strings["rating_\(rating.level.rawValue)"] ?? rating.level.label) + (rating.comment.map { ": \($0)" } ?? "")
            }
            if let done = request.uri.queryParameters["done"].map(String.init),
               let label = strings["action_\(done.replacingOccurrences(of: "-", with: "_"))"] {
                page["done"] = label
            }
            if let step = body.step {
                page["step"] = ["number": step.number, "name": step.name, "deadline": PageKit.dateTime(step.deadline.flatMap(parseInstant))]
            }
            return kit.page("dossier", title: "dossier_title", PageKit.withoutEmpty(page), request: request, caller: caller,
                            titleSuffix: code)
    }

    /// One action's form: which fields it needs and its label.
    static func action(_ name: String, code: String, version: Int, strings: [String: String]) -> [String: Any] {
        [
            "verb": name.replacingOccurrences(of: "_", with: "-"), "label": strings["action_\(name)"] ?? name, "dossierCode": code,
            "version": version, "needsMissing": name == "request_supplement", "needsAmount": name == "request_payment",
            "needsReference": name == "record_payment", "needsDate": name == "apologise", "needsRating": name == "rate",
            "needsNote": name == "forward",
            "needsReason": ["refuse", "request_supplement", "send_back", "request_payment", "stop", "withdraw", "apologise"].contains(name),
        ]
    }

    /// A command from a page's form: the same commands, rules and access as the API.
    func act(_ request: Request, code: String, verb: String) async throws -> Response {
        let form = try await PageKit.form(request)
        try PageKit.checkCSRF(request, form["csrf"])
        let caller = try await kit.requireCaller(request)
        guard let make = DossierRoutes.commands.first(where: { $0.verb == verb })?.make else {
            throw PageError(status: .notFound, messageKey: "error_not_found")
        }
        func text(_ name: String) -> String? {
            let value = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        var input = DossierRoutes.CommandInput()
        input.reason = text("reason")
        input.note = text("note")
        input.missing = text("missing")?.split(whereSeparator: \.isNewline).map(String.init)
        input.amountVnd = text("amountVnd").flatMap { Int($0.filter(\.isNumber)) }
        input.reference = text("reference")
        // A datetime-local field has no zone: it is Vietnam time.
        input.newAppointment = text("newAppointment").map { $0.count == 16 ? "\($0):00+07:00" : "\($0)+07:00" }
        input.rating = text("rating")
        input.comment = text("comment")
        guard let version = text("version").flatMap(Int.init) else { throw PageError(status: .badRequest, messageKey: "error_invalid") }
        let command: DossierCommand
        do {
            command = try make(input)
        } catch let problem as Problem {
            throw PageError(status: .unprocessableContent, messageKey: "error_invalid", detail: problem.errors.map(\.message).joined(separator: "; "),
                            back: "/ho-so/\(code)")
        }
        do {
            _ = try await service.act(command, on: code, expectedVersion: version, by: caller.viewer)
        } catch StoreError.staleVersion {
            throw PageError(status: .conflict, messageKey: "error_invalid", detail: "Hồ sơ vừa được người khác cập nhật; vui lòng mở lại trang hồ sơ.",
                            back: "/ho-so/\(code)")
        } catch let error as DossierError where !error.code.hasPrefix("auth.") {
            throw PageError(status: .conflict, messageKey: "error_invalid", detail: error.message, back: "/ho-so/\(code)")
        }
        return PageKit.redirect("/ho-so/\(code)?done=\(verb)")
    }

    static func eventLine(_ event: DossierEvent) -> [String: Any] {
        PageKit.withoutEmpty(["at": PageKit.dateTime(event.at), "label": FormRenderer.commandLabel(event.command),
                              "status": event.toStatus.label, "reason": event.reason ?? ""])
    }
}
