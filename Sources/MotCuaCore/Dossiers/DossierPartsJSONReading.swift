import Foundation

/// A dossier's stored state and applicant read by hand (see `JSONReader`): the same values their
/// `Decodable` forms give, or nil where the reader gives up and the decoder is to be asked.

extension DossierState {
    public init?(storedJSON text: String) {
        guard let state = JSONReader.read(text, { reader in try DossierState(reading: &reader) }) else { return nil }
        self = state
    }

    init(reading reader: inout JSONReader) throws {
        var status: DossierStatus?, channel: Procedure.Channel?, processVersion: Int?, submittedAt: Date?
        var pauses: [DateInterval]?, supplementRequests: Int?, missingDocuments: [String]?, apologies: Int?, approved: Bool?
        var state = DossierState(channel: .online, processVersion: 0, submittedAt: Date(timeIntervalSinceReferenceDate: 0))
        func instant(_ reader: inout JSONReader) throws -> Date { Date(timeIntervalSinceReferenceDate: try reader.double()) }
        try reader.object { reader, key in
            switch key {
            case "acceptedAt": state.acceptedAt = try reader.optional(instant)
            case "apologies": apologies = try reader.int()
            case "appointment": state.appointment = try reader.optional(instant)
            case "approved": approved = try reader.bool()
            case "channel": channel = Procedure.Channel(rawValue: try reader.string())
            case "countingFrom": state.countingFrom = try reader.optional(instant)
            case "fees": state.fees = try reader.optional { reader in try reader.array { reader in try FeeLine(reading: &reader) } }
            case "finishedAt": state.finishedAt = try reader.optional(instant)
            case "missingDocuments": missingDocuments = try reader.array { reader in try reader.string() }
            case "originalAppointment": state.originalAppointment = try reader.optional(instant)
            case "paidOnline": state.paidOnline = try reader.optional { reader in try reader.bool() }
            case "pausedSince": state.pausedSince = try reader.optional(instant)
            case "pauses": pauses = try reader.array { reader in try Self.interval(&reader) }
            case "paymentDueVnd": state.paymentDueVnd = try reader.optional { reader in try reader.int() }
            case "paymentRequested": state.paymentRequested = try reader.optional { reader in try reader.bool() }
            case "processVersion": processVersion = try reader.int()
            case "rating": state.rating = try reader.optional { reader in try Rating(reading: &reader) }
            case "resumeStatus":
                state.resumeStatus = try reader.optional { reader in try DossierStatus(rawValue: reader.int()).orUnexpected() }
            case "status": status = DossierStatus(rawValue: try reader.int())
            case "statutoryDue": state.statutoryDue = try reader.optional(instant)
            case "stepDeadline": state.stepDeadline = try reader.optional(instant)
            case "stepIndex": state.stepIndex = try reader.optional { reader in try reader.int() }
            case "stepStartedAt": state.stepStartedAt = try reader.optional(instant)
            case "submittedAt": submittedAt = try instant(&reader)
            case "supplementRequests": supplementRequests = try reader.int()
            default: try reader.skip()
            }
        }
        guard let status, let channel, let processVersion, let submittedAt, let pauses, let supplementRequests,
              let missingDocuments, let apologies, let approved else { throw JSONReader.Unexpected() }
        (state.status, state.channel, state.processVersion, state.submittedAt) = (status, channel, processVersion, submittedAt)
        (state.pauses, state.supplementRequests, state.missingDocuments) = (pauses, supplementRequests, missingDocuments)
        (state.apologies, state.approved) = (apologies, approved)
        self = state
    }

    /// As `DateInterval` decodes itself; a negative duration is left to it (it stops there).
    private static func interval(_ reader: inout JSONReader) throws -> DateInterval {
        var start: Double?, duration: Double?
        try reader.object { reader, key in
            switch key {
            case "start": start = try reader.double()
            case "duration": duration = try reader.double()
            default: try reader.skip()
            }
        }
        guard let start, let duration, duration >= 0 else { throw JSONReader.Unexpected() }
        return DateInterval(start: Date(timeIntervalSinceReferenceDate: start), duration: duration)
    }
}

extension Applicant {
    public init?(storedJSON text: String) {
        guard let applicant = JSONReader.read(text, { reader in try Applicant(reading: &reader) }) else { return nil }
        self = applicant
    }

    init(reading reader: inout JSONReader) throws {
        var kind: Kind?, fullName: String?
        var applicant = Applicant(fullName: "")
        try reader.object { reader, key in
            func text(_ reader: inout JSONReader) throws -> String? { try reader.optional { reader in try reader.string() } }
            switch key {
            case "address": applicant.address = try text(&reader)
            case "citizenId": applicant.citizenId = try text(&reader)
            case "email": applicant.email = try text(&reader)
            case "fullName": fullName = try reader.string()
            case "kind": kind = Kind(rawValue: try reader.string())
            case "organisationName": applicant.organisationName = try text(&reader)
            case "phone": applicant.phone = try text(&reader)
            case "taxCode": applicant.taxCode = try text(&reader)
            default: try reader.skip()
            }
        }
        guard let kind, let fullName else { throw JSONReader.Unexpected() }
        (applicant.kind, applicant.fullName) = (kind, fullName)
        self = applicant
    }
}

extension FeeLine {
    init(reading reader: inout JSONReader) throws {
        var name: String?, item: String?, amountVnd: Int?
        try reader.object { reader, key in
            switch key {
            case "amountVnd": amountVnd = try reader.int()
            case "item": item = try reader.optional { reader in try reader.string() }
            case "name": name = try reader.string()
            default: try reader.skip()
            }
        }
        guard let name, let amountVnd else { throw JSONReader.Unexpected() }
        self.init(name: name, item: item, amountVnd: amountVnd)
    }
}

extension Rating {
    init(reading reader: inout JSONReader) throws {
        var level: Level?, comment: String?
        try reader.object { reader, key in
            switch key {
            case "comment": comment = try reader.optional { reader in try reader.string() }
            case "level": level = Level(rawValue: try reader.string())
            default: try reader.skip()
            }
        }
        guard let level else { throw JSONReader.Unexpected() }
        self.init(level: level, comment: comment)
    }
}

extension Optional {
    /// The value, or the reader gives up.
    fileprivate func orUnexpected() throws -> Wrapped {
        guard let self else { throw JSONReader.Unexpected() }
        return self
    }
}
