import Foundation
import Hummingbird
import MotCuaCore
import MotCuaStore

/// `/api/v1/dossiers`: submission, the commands, the history, lists and public tracking. Every
/// handler finds the caller first; what they may see and do is decided by `DossierService`.
struct DossierRoutes {
    let environment: AppEnvironment
    var service: DossierService { environment.dossiers }
    var auth: AuthGate { environment.auth }

    struct SubmitInput: Decodable {
        var procedureCode: String?
        var channel: String?
        var receivingAgency: String?
        var applicant: Applicant?
        var feeChoices: [String: Int]?
        var acceptNow: Bool?

        func submission() throws -> DossierService.Submission {
            var v = Validator()
            v.require(procedureCode != nil, "procedureCode", "required", "Không được để trống")
            v.require(receivingAgency != nil, "receivingAgency", "required", "Không được để trống")
            v.require(applicant != nil, "applicant", "required", "Không được để trống")
            let channel = self.channel.map(Procedure.Channel.init(rawValue:)) ?? .online
            v.require(channel != nil, "channel", "enum", "Một trong: online, counter, post")
            try v.check()
            return try DossierService.Submission(procedureCode: procedureCode!, channel: channel!, receivingAgency: receivingAgency!,
                                                 applicant: applicant!, feeChoices: feeChoices ?? [:], acceptNow: acceptNow ?? false)
                .validated()
        }
    }

    /// The fields any command may carry; each command names the ones it needs.
    struct CommandInput: Decodable {
        init() {}

        var expectedVersion: Int?
        var reason: String?
        var note: String?
        var missing: [String]?
        var amountVnd: Int?
        var reference: String?
        /// For a payment: made through an online payment service.
        var online: Bool?
        var newAppointment: String?
        var rating: String?
        var comment: String?
    }

    /// The commands by the verb in their path.
    static let commands: [(verb: String, make: @Sendable (CommandInput) throws -> DossierCommand)] = [
        ("accept", { _ in .accept }),
        ("refuse", { .refuse(reason: $0.reason ?? "") }),
        ("request-supplement", { .requestSupplement(missing: $0.missing ?? [], reason: $0.reason ?? "") }),
        ("receive-supplement", { _ in .receiveSupplement }),
        ("forward", { .forward(note: $0.note) }),
        ("send-back", { .sendBack(reason: $0.reason ?? "") }),
        ("request-payment", { input in
            guard let amount = input.amountVnd else { throw fieldError("amountVnd", "required", "Cần số tiền (đồng)") }
            return .requestPayment(amountVnd: amount, reason: input.reason ?? "")
        }),
        ("record-payment", { input in
            guard let reference = input.reference?.trimmingCharacters(in: .whitespaces), !reference.isEmpty else {
                throw fieldError("reference", "required", "Cần số chứng từ nộp tiền")
            }
            return .recordPayment(reference: reference, online: input.online ?? false)
        }),
        ("approve", { _ in .approve }),
        ("mark-result-ready", { _ in .markResultReady }),
        ("return-result", { _ in .returnResult }),
        ("stop", { .stop(reason: $0.reason ?? "") }),
        ("withdraw", { .withdraw(reason: $0.reason ?? "") }),
        ("apologise", { input in
            guard let text = input.newAppointment else { throw fieldError("newAppointment", "required", "Cần ngày hẹn mới") }
            guard let date = parseInstant(text) else {
                throw fieldError("newAppointment", "format", "Thời điểm ISO 8601 có múi giờ, ví dụ 2026-12-01T08:00:00+07:00")
            }
            return .apologise(reason: input.reason ?? "", newAppointment: date)
        }),
        ("rate", { input in
            guard let level = input.rating.flatMap(Rating.Level.init(rawValue:)) else {
                throw fieldError("rating", input.rating == nil ? "required" : "enum", "Một trong: very_satisfied, satisfied, not_satisfied")
            }
            return .rate(Rating(level: level, comment: input.comment))
        }),
    ]

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("dossiers") { request, context -> Response in
            let caller = try await auth.require(request)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let input = try JSONCoding.decoder.decode(SubmitInput.self, from: body)
            let submission = try input.submission()
            let service = self.service
            let environment = self.environment
            // On a retry, the code is read from the first response.
            let replayLocation: @Sendable (String) -> String = { body in
                "/api/v1/dossiers/\(CreatedDossier.code(in: body) ?? "")"
            }
            return try await idempotentCreate(request, scope: "dossiers:\(caller.account.id)", body: body,
                                              database: environment.database, replayLocation: replayLocation) { db in
                let dossier = try await service.submit(submission, by: caller.viewer, in: db)
                let process = try await service.process(of: dossier, in: db)
                // Written inside the transaction (it is the recorded answer): by hand, not by JSONEncoder.
                return (DossierBody(dossier, process: process, service: service).jsonText(capacity: 2048).text,
                        "/api/v1/dossiers/\(dossier.code)")
            }
        }
        api.get("dossiers") { request, context in
            let caller = try await auth.require(request)
            return try await list(request, context, caller)
        }
        api.get("dossiers/{code}") { request, context -> Response in
            let caller = try await auth.require(request)
            let dossier = try await service.view(try context.parameters.require("code"), by: caller.viewer)
            return try await respond(dossier, request, context)
        }
        api.get("dossiers/{code}/events") { request, context in
            let caller = try await auth.require(request)
            let events = try await service.history(try context.parameters.require("code"), by: caller.viewer)
            return JSON(["items": events.enumerated().map { EventBody($1, sequence: $0 + 1) }])
        }
        for (verb, make) in Self.commands {
            api.post("dossiers/{code}/\(verb)") { request, context -> Response in
                let caller = try await auth.require(request)
                let input = try await Self.decodeOptional(CommandInput.self, request, context)
                let version = try Headers.expectedVersion(request, body: input.expectedVersion)
                let command = try make(input)
                let dossier = try await service.act(command, on: try context.parameters.require("code"), expectedVersion: version,
                                                    by: caller.viewer)
                return try await respond(dossier, request, context)
            }
        }
        api.get("tracking/{code}") { request, context in
            let code = try context.parameters.require("code")
            let digits = request.uri.queryParameters["digits"].map(String.init) ?? ""
            // Four digits are only 10,000 guesses: tracking is rate-limited like sign-in.
            try await environment.auth.admitTracking(code: code, from: context.peer)
            guard digits.count == 4, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
                throw Problem.validation([.init(path: "digits", code: "format", message: "4 số cuối của số định danh hoặc số điện thoại")])
            }
            return JSON(TrackingBody(try await service.track(code, lastFourDigits: digits)))
        }
        api.get("agencies/{code}/deadlines") { request, context in
            let caller = try await auth.require(request)
            let watch = try await service.deadlines(agency: try context.parameters.require("code"), by: caller.viewer)
            return JSON(DeadlineBody(watch))
        }
    }

    /// A citizen's own dossiers, or an officer's inbox (dossiers now at their agencies' steps).
    func list(_ request: Request, _ context: AppRequestContext, _ caller: Caller) async throws -> Response {
        let paging = try Paging(request)
        let query = request.uri.queryParameters
        if caller.account.role == .citizen {
            let items = try await service.mine(caller.viewer, before: paging.after, limit: paging.limit + 1)
            return try JSON(paging.page(items.map(DossierSummary.init), key: \.code)).response(from: request, context: context)
        }
        guard caller.viewer.isOfficer else { throw AuthError.forbidden("Chỉ công dân và cán bộ xem danh sách hồ sơ") }
        var v = Validator()
        let due = query["due"].map(String.init)
        v.require(due == nil || due == "soon" || due == "overdue", "due", "enum", "soon hoặc overdue")
        var statuses: Set<DossierStatus>?
        if let text = query["status"] {
            let parsed = text.split(separator: ",").map { Int($0).flatMap(DossierStatus.init(rawValue:)) }
            v.require(!parsed.isEmpty && !parsed.contains(nil), "status", "enum", "Mã trạng thái 1–10, cách nhau bởi dấu phẩy")
            statuses = Set(parsed.compactMap { $0 })
        }
        let after = paging.after.flatMap(DossierRepository.inboxPosition)
        v.require(paging.after == nil || after != nil, "cursor", "invalid", "cursor không hợp lệ")
        try v.check()
        let items = try await service.inboxEntries(for: caller.viewer, overdueOnly: due == "overdue", dueSoonOnly: due == "soon",
                                                   procedureCode: query["procedure"].map(String.init), statuses: statuses,
                                                   after: after, limit: paging.limit + 1)
        let kept = Array(items.prefix(paging.limit))
        let cursor = items.count > paging.limit ? kept.last.map { Data(DossierRepository.inboxKey($0).utf8).base64URL } : nil
        return try JSON(Page(items: kept.map(DossierSummary.init), nextCursor: cursor)).response(from: request, context: context)
    }

    func respond(_ dossier: StoredDossier, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let process = try await service.process(of: dossier)
        var response = try JSON(DossierBody(dossier, process: process, service: service))
            .response(from: request, context: context)
        response.headers[.eTag] = "\"\(dossier.version)\""
        return response
    }

    /// A command body may be empty (accept, approve): then only If-Match carries the version.
    static func decodeOptional<T: Decodable>(_ type: T.Type, _ request: Request, _ context: AppRequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return try JSONCoding.decoder.decode(T.self, from: buffer.readableBytes == 0 ? ByteBuffer(string: "{}") : buffer)
    }
}

struct DeadlineBody: Encodable, Sendable {
    struct Officer: Encodable, Sendable {
        let officer: String?
        let overdue: [DossierSummary]
        let dueSoon: [DossierSummary]
    }

    let overdueCount: Int
    let dueSoonCount: Int
    let officers: [Officer]

    init(_ watch: DossierService.DeadlineWatch) {
        overdueCount = watch.overdue.count
        dueSoonCount = watch.dueSoon.count
        officers = watch.byOfficer.map {
            Officer(officer: $0.officer, overdue: $0.overdue.map(DossierSummary.init), dueSoon: $0.dueSoon.map(DossierSummary.init))
        }
    }
}

func fieldError(_ path: String, _ code: String, _ message: String) -> Problem {
    Problem.validation([.init(path: path, code: code, message: message)])
}

/// `2026-12-01T08:00:00+07:00` (with an offset or Z).
func parseInstant(_ text: String) -> Date? {
    try? Date(text, strategy: .iso8601)
}
