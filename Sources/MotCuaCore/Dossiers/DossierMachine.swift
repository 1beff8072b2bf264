import Foundation

/// What the machine needs besides the dossier: its process, the statutory limit, the calendar.
public struct DossierContext: Sendable {
    public let process: ProcessVersion
    public let timeLimit: TimeLimit
    public let calendar: WorkingCalendar
    public let policy: DossierPolicy

    public init(process: ProcessVersion, timeLimit: TimeLimit, calendar: WorkingCalendar, policy: DossierPolicy = DossierPolicy()) {
        self.process = process
        self.timeLimit = timeLimit
        self.calendar = calendar
        self.policy = policy
    }
}

/// The dossier life cycle as a pure function: a state and a command give a new state and the
/// event to record, or an error and no change.
public enum DossierMachine {
    /// A new dossier (status 1): online by the applicant, at the counter or by post by an intake officer.
    public static func submit(channel: Procedure.Channel, by actor: DossierActor, at now: Date,
                              context: DossierContext) throws -> (DossierState, DossierEvent) {
        let allowed: DossierRole = channel == .online ? .citizen : .intakeOfficer
        guard actor.role == allowed else {
            throw DossierError("auth.forbidden", channel == .online ? "Chỉ người nộp hồ sơ nộp trực tuyến"
                                                                    : "Chỉ cán bộ một cửa nhận hồ sơ tại quầy hoặc qua bưu chính")
        }
        let state = DossierState(channel: channel, processVersion: context.process.version, submittedAt: now)
        return (state, DossierEvent(command: "submit", actor: actor, at: now, fromStatus: nil, toStatus: .submitted,
                                    reason: nil, data: ["channel": channel.rawValue, "processVersion": "\(context.process.version)"]))
    }

    public static func apply(_ command: DossierCommand, to state: DossierState, by actor: DossierActor, at now: Date,
                             context: DossierContext) throws -> (DossierState, DossierEvent) {
        guard command.allowedIn.contains(state.status) else {
            throw DossierError("dossier.not_in_status",
                               "Không thể \(command.name) khi hồ sơ ở trạng thái «\(state.status.label)» (\(state.status.rawValue))")
        }
        guard command.allowedRoles.contains(actor.role) else {
            throw DossierError("auth.forbidden", "Vai trò \(actor.role.rawValue) không được \(command.name)")
        }
        var next = state
        var data: [String: String] = [:]
        var reason: String?
        let calendar = context.calendar
        let steps = context.process.steps

        func requireReason(_ text: String) throws -> String {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw DossierError("dossier.reason_required", "Cần nêu lý do") }
            return trimmed
        }

        func startStep(_ index: Int, at instant: Date) {
            next.stepIndex = index
            next.stepStartedAt = instant
            next.stepDeadline = calendar.adding(workingHours: steps[index].budgetWorkingHours, to: instant)
            data["step"] = "\(index + 1)"
            data["stepDeadline"] = iso(next.stepDeadline!)
        }

        func stopClock(resumeTo status: DossierStatus) {
            next.resumeStatus = status
            if next.appointment != nil { next.pausedSince = now }
        }

        func resumeClock() {
            next.status = next.resumeStatus ?? .processing
            next.resumeStatus = nil
            guard let since = next.pausedSince else { return }
            next.pauses.append(DateInterval(start: since, end: max(since, now)))
            next.pausedSince = nil
            // A deadline still ahead when the clock stopped keeps the working time that was left;
            // one already passed stays where it was; none ever moves earlier (a deadline set outside
            // office hours would otherwise be pulled back to the end of the last session).
            func moved(_ deadline: Date?) -> Date? {
                guard let deadline, since < deadline else { return deadline }
                let shifted = calendar.adding(workingSeconds: calendar.workingSeconds(from: since, to: deadline), to: max(since, now))
                return max(deadline, shifted)
            }
            next.appointment = moved(next.appointment)
            next.statutoryDue = moved(next.statutoryDue)
            next.stepDeadline = moved(next.stepDeadline)
            if let appointment = next.appointment { data["appointment"] = iso(appointment) }
        }

        switch command {
        case .accept:
            next.status = .accepted
            next.acceptedAt = now
            let start = calendar.startOfCounting(now, applyingCutOff: true)
            next.countingFrom = start
            next.appointment = calendar.adding(workingHours: context.timeLimit.totalWorkingHours, to: now, applyingCutOff: true)
            next.originalAppointment = next.appointment
            next.statutoryDue = next.appointment
            data["appointment"] = iso(next.appointment!)
            if !steps.isEmpty { startStep(0, at: start) }

        case .refuse(let text):
            reason = try requireReason(text)
            next.status = .refused
            next.finishedAt = now

        case .requestSupplement(let missing, let text):
            reason = try requireReason(text)
            let items = missing.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw DossierError("dossier.missing_required", "Cần liệt kê giấy tờ còn thiếu") }
            guard state.supplementRequests < context.policy.maxSupplementRequests else {
                throw DossierError("dossier.supplement_limit_reached",
                                   "Đã yêu cầu bổ sung \(state.supplementRequests) lần, tối đa \(context.policy.maxSupplementRequests) lần")
            }
            next.supplementRequests += 1
            next.missingDocuments = items
            next.status = .supplementRequested
            stopClock(resumeTo: state.status)
            data["missing"] = items.joined(separator: "; ")

        case .receiveSupplement:
            next.missingDocuments = []
            resumeClock()

        case .forward(let note):
            guard let index = state.stepIndex, index + 1 < steps.count else {
                throw DossierError("dossier.no_next_step", "Đây là bước cuối của quy trình: trình phê duyệt kết quả")
            }
            next.status = .processing
            startStep(index + 1, at: now)
            if let agency = steps[index + 1].agency { data["agency"] = agency }
            reason = note

        case .sendBack(let text):
            reason = try requireReason(text)
            guard let index = state.stepIndex, index > 0 else {
                throw DossierError("dossier.no_previous_step", "Hồ sơ đang ở bước đầu tiên")
            }
            startStep(index - 1, at: now)

        case .requestPayment(let amount, let text):
            reason = try requireReason(text)
            guard amount > 0 else { throw DossierError("dossier.amount_invalid", "Số tiền phải lớn hơn 0") }
            next.paymentDueVnd = amount
            next.paymentRequested = true
            next.status = .paymentRequested
            stopClock(resumeTo: .processing)
            data["amountVnd"] = "\(amount)"

        case .recordPayment(let reference, let online):
            data["paymentReference"] = reference
            if online {
                data["paymentChannel"] = "online"
                next.paidOnline = true
            }
            next.paymentDueVnd = nil
            resumeClock()

        case .approve:
            guard state.stepIndex == steps.count - 1 else {
                throw DossierError("dossier.not_at_last_step", "Chỉ phê duyệt khi hồ sơ ở bước cuối của quy trình")
            }
            next.approved = true

        case .markResultReady:
            guard state.approved else { throw DossierError("dossier.not_approved", "Kết quả chưa được lãnh đạo phê duyệt") }
            next.status = .resultReady
            next.finishedAt = now

        case .returnResult:
            next.status = .returned

        case .stop(let text), .withdraw(let text):
            reason = try requireReason(text)
            if let since = next.pausedSince {
                next.pauses.append(DateInterval(start: since, end: max(since, now)))
                next.pausedSince = nil
            }
            next.resumeStatus = nil
            next.status = command.name == "stop" ? .stopped : .withdrawn
            next.finishedAt = now

        case .rate(let rating):
            guard state.rating == nil else { throw DossierError("dossier.already_rated", "Hồ sơ đã được đánh giá") }
            let comment = rating.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (comment?.count ?? 0) <= 1000 else { throw DossierError("dossier.comment_too_long", "Ý kiến tối đa 1000 ký tự") }
            next.rating = Rating(level: rating.level, comment: comment?.isEmpty == true ? nil : comment)
            data["rating"] = rating.level.rawValue
            reason = next.rating?.comment

        case .apologise(let text, let newAppointment):
            reason = try requireReason(text)
            guard let appointment = state.appointment else {
                throw DossierError("dossier.not_in_status", "Hồ sơ chưa có ngày hẹn trả")
            }
            guard state.apologies < context.policy.maxApologies else {
                throw DossierError("dossier.apology_limit_reached", "Đã hẹn lại \(state.apologies) lần, tối đa \(context.policy.maxApologies) lần")
            }
            guard now < appointment else {
                throw DossierError("dossier.apology_too_late", "Chỉ xin lỗi và hẹn lại trước ngày hẹn trả \(iso(appointment))")
            }
            guard newAppointment > appointment else {
                throw DossierError("dossier.apology_date_not_later", "Ngày hẹn mới phải sau ngày hẹn \(iso(appointment))")
            }
            next.apologies += 1
            next.appointment = newAppointment
            data["appointment"] = iso(newAppointment)
        }

        let event = DossierEvent(command: command.name, actor: actor, at: now, fromStatus: state.status, toStatus: next.status,
                                 reason: reason, data: data)
        return (next, event)
    }
}

private func iso(_ instant: Date) -> String { WorkingCalendar.iso8601(instant) }
