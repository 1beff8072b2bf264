/// What re-engineering cut: for each procedure, the process in force at the start against the
/// one in force at the end (or two named versions), and the totals.
public struct ReengineeringReport: Hashable, Sendable, Codable {
    public struct Row: Hashable, Sendable, Codable {
        public let procedureCode: String
        public let procedureName: String
        public let field: String
        public let fromVersion: Int
        public let toVersion: Int
        public let stepsBefore: Int
        public let stepsAfter: Int
        public let hoursBefore: Double
        public let hoursAfter: Double

        /// Positive when steps were removed.
        public var stepsCut: Int { stepsBefore - stepsAfter }
        /// Positive when working hours were removed.
        public var hoursCut: Double { hoursBefore - hoursAfter }
        public var isReengineered: Bool { fromVersion != toVersion && (stepsCut > 0 || hoursCut > 0) }
    }

    public let rows: [Row]
    /// Procedures with a process in force at both ends of the period.
    public let processesCompared: Int

    public var processesReengineered: Int { rows.filter(\.isReengineered).count }
    public var stepsCut: Int { rows.filter(\.isReengineered).reduce(0) { $0 + $1.stepsCut } }
    public var hoursCut: Double { rows.filter(\.isReengineered).reduce(0) { $0 + $1.hoursCut } }

    /// The documents a report is about: one procedure, a field, or those an agency receives,
    /// decides or works a step of (each filter optional).
    public static func scope(_ documents: [ProcedureDocument], procedure: String?, agency: String?, field: String?) -> [ProcedureDocument] {
        documents.filter { document in
            (procedure == nil || document.procedure.code == procedure)
                && (field == nil || document.procedure.field == field)
                && (agency.map { agency in
                    document.procedure.receivingAgencies.contains(agency) || document.procedure.decidingAgencies.contains(agency)
                        || document.processes.contains { $0.steps.contains { $0.agency == agency } }
                } ?? true)
        }
    }

    /// Compares, for each document, the version in force on `from` with the one in force on `to`
    /// (the latest version whose validFrom is on or before the day). A procedure whose process
    /// starts inside the period is compared from its first version.
    public static func between(_ from: CivilDate, _ to: CivilDate, documents: [ProcedureDocument]) -> ReengineeringReport {
        var rows: [Row] = []
        var compared = 0
        for document in documents.sorted(by: { $0.procedure.code < $1.procedure.code }) {
            guard let after = document.processes.last(where: { $0.validFrom <= to }) else { continue }
            let before = document.processes.last(where: { $0.validFrom <= from }) ?? document.processes.first!
            compared += 1
            if before.version != after.version {
                rows.append(row(document.procedure, before, after))
            }
        }
        return ReengineeringReport(rows: rows, processesCompared: compared)
    }

    /// Two named versions of one procedure.
    public static func versions(_ fromVersion: Int, _ toVersion: Int, of document: ProcedureDocument) -> ReengineeringReport? {
        guard let before = document.processes.first(where: { $0.version == fromVersion }),
              let after = document.processes.first(where: { $0.version == toVersion })
        else { return nil }
        return ReengineeringReport(rows: [row(document.procedure, before, after)], processesCompared: 1)
    }

    static func row(_ procedure: Procedure, _ before: ProcessVersion, _ after: ProcessVersion) -> Row {
        Row(procedureCode: procedure.code, procedureName: procedure.name, field: procedure.field,
            fromVersion: before.version, toVersion: after.version,
            stepsBefore: before.steps.count, stepsAfter: after.steps.count,
            hoursBefore: before.totalBudgetWorkingHours, hoursAfter: after.totalBudgetWorkingHours)
    }

    /// CSV with Vietnamese headers, one row per procedure and a total line; hours with a dot.
    public func csv() -> String {
        var lines = ["Mã thủ tục,Tên thủ tục,Lĩnh vực,Phiên bản trước,Phiên bản sau,Số bước trước,Số bước sau,Số bước cắt giảm,"
            + "Giờ trước,Giờ sau,Giờ cắt giảm,Tái cấu trúc"]
        for row in rows {
            lines.append([row.procedureCode, quote(row.procedureName), quote(row.field), "\(row.fromVersion)", "\(row.toVersion)",
                          "\(row.stepsBefore)", "\(row.stepsAfter)", "\(row.stepsCut)", number(row.hoursBefore),
                          number(row.hoursAfter), number(row.hoursCut), row.isReengineered ? "có" : "không"].joined(separator: ","))
        }
        lines.append("Tổng,\(processesReengineered)/\(processesCompared) quy trình được tái cấu trúc,,,,,,\(stepsCut),,,\(number(hoursCut)),")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private func quote(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" : text
    }

    private func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
