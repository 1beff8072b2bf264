/// One version of the internal process (quy trình nội bộ) behind a procedure. Published versions
/// are never changed: a dossier keeps the version it started with.
public struct ProcessVersion: Codable, Hashable, Sendable {
    public var version: Int
    public var validFrom: CivilDate
    public var note: String?
    public var steps: [ProcessStep]

    public init(version: Int, validFrom: CivilDate, note: String? = nil, steps: [ProcessStep]) {
        self.version = version
        self.validFrom = validFrom
        self.note = note
        self.steps = steps
    }

    public var totalBudgetWorkingHours: Double { steps.reduce(0) { $0 + $1.budgetWorkingHours } }

    /// Same steps, whatever the number, date and note: publishing it again would change nothing.
    public func hasSameSteps(as other: ProcessVersion) -> Bool { steps == other.steps }
}

public struct ProcessStep: Codable, Hashable, Sendable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        case intake, specialist, leader, clerk, finance
    }

    public var name: String
    /// The agency responsible; absent means the agency that received the dossier.
    public var agency: String?
    public var role: Role
    public var budgetWorkingHours: Double
    /// Hands the dossier to another agency or level (liên thông).
    public var handoff: Bool?

    public init(name: String, agency: String? = nil, role: Role, budgetWorkingHours: Double, handoff: Bool? = nil) {
        self.name = name
        self.agency = agency
        self.role = role
        self.budgetWorkingHours = budgetWorkingHours
        self.handoff = handoff
    }
}

/// A procedure with all its process versions: the unit of import and export, the format one
/// province uses to share its catalogue with another.
public struct ProcedureDocument: Codable, Hashable, Sendable {
    public var procedure: Procedure
    public var processes: [ProcessVersion]

    public init(procedure: Procedure, processes: [ProcessVersion]) {
        self.procedure = procedure
        self.processes = processes
    }

    enum CodingKeys: String, CodingKey { case processes }

    public init(from decoder: any Decoder) throws {
        procedure = try Procedure(from: decoder)
        processes = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([ProcessVersion].self, forKey: .processes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        try procedure.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(processes, forKey: .processes)
    }
}

/// The whole catalogue as one JSON document.
public struct CatalogueDocument: Codable, Hashable, Sendable {
    public var formatVersion: Int
    public var procedures: [ProcedureDocument]

    public static let currentFormat = 1

    public init(procedures: [ProcedureDocument]) {
        self.formatVersion = CatalogueDocument.currentFormat
        self.procedures = procedures
    }
}
