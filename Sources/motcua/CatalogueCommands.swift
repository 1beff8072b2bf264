import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore

struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "The procedure catalogue: import, export, and what re-engineering cut.",
        subcommands: [Import.self, Export.self, Reengineering.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a catalogue JSON file (all or nothing; twice changes nothing).")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "A catalogue JSON file (formatVersion 1).") var file: String

        func run() async throws {
            let document: CatalogueDocument
            do {
                document = try JSONDecoder().decode(CatalogueDocument.self, from: Data(readFile(file).utf8))
            } catch let error as DecodingError {
                throw UsageError("catalogue import: \(file) is not a catalogue document: \(error.localizedDescription)")
            }
            let counts = try await withMigratedDatabase(settings) { database in
                do {
                    return try await database.transaction { db in
                        var counts: [ImportOutcome: Int] = [:]
                        for (index, procedure) in document.procedures.enumerated() {
                            do {
                                counts[try await CatalogueRepository.importDocument(procedure, in: db), default: 0] += 1
                            } catch StoreError.invalid(let issues) {
                                throw UsageError("catalogue import: procedures[\(index)] (\(procedure.procedure.code)): "
                                    + issues.map(\.description).joined(separator: "; "))
                            }
                        }
                        return counts
                    }
                }
            }
            Output.current.out("Created \(counts[.created] ?? 0), updated \(counts[.updated] ?? 0), unchanged \(counts[.unchanged] ?? 0) procedures.")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the whole catalogue as JSON (to standard output or --output).")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "File to write instead of standard output.") var output: String?

        func run() async throws {
            let documents = try await withMigratedDatabase(settings) { try await CatalogueRepository(database: $0).allDocuments() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let text = String(decoding: try encoder.encode(CatalogueDocument(procedures: documents)), as: UTF8.self)
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
                Output.current.out("Exported \(documents.count) procedures to \(output).")
            } else {
                Output.current.out(text)
            }
        }
    }

    struct Reengineering: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reengineering",
            abstract: "Processes re-engineered, steps and hours cut, between two dates or two versions of one procedure.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Start date YYYY-MM-DD.") var from: String?
        @Option(help: "End date YYYY-MM-DD.") var to: String?
        @Option(help: "One procedure's code.") var procedure: String?
        @Option(help: "With --procedure: the earlier version.") var fromVersion: Int?
        @Option(help: "With --procedure: the later version.") var toVersion: Int?
        @Option(help: "Only procedures this agency receives, decides or works a step of.") var agency: String?
        @Option(help: "Only procedures of this field.") var field: String?
        @Flag(help: "CSV instead of a table.") var csv = false

        func run() async throws {
            let documents = ReengineeringReport.scope(
                try await withMigratedDatabase(settings) { try await CatalogueRepository(database: $0).allDocuments() },
                procedure: procedure, agency: agency, field: field)
            let report: ReengineeringReport
            if let fromVersion, let toVersion {
                guard procedure != nil, let document = documents.first,
                      let versions = ReengineeringReport.versions(fromVersion, toVersion, of: document)
                else { throw UsageError("catalogue reengineering: --from-version/--to-version need --procedure and two existing versions") }
                report = versions
            } else {
                guard let fromText = from, let start = CivilDate(fromText), let toText = to, let end = CivilDate(toText), start <= end else {
                    throw UsageError("catalogue reengineering: give --from and --to as YYYY-MM-DD (from ≤ to), or --procedure with versions")
                }
                report = ReengineeringReport.between(start, end, documents: documents)
            }
            if csv {
                Output.current.out(report.csv().replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines))
                return
            }
            for row in report.rows {
                Output.current.out("\(row.procedureCode)\t\(row.procedureName)\tv\(row.fromVersion)→v\(row.toVersion)\t"
                    + "bước \(row.stepsBefore)→\(row.stepsAfter)\tgiờ \(format(row.hoursBefore))→\(format(row.hoursAfter))")
            }
            Output.current.out("Tổng: \(report.processesReengineered)/\(report.processesCompared) quy trình được tái cấu trúc, "
                + "cắt giảm \(report.stepsCut) bước, \(format(report.hoursCut)) giờ làm việc")
        }

        private func format(_ hours: Double) -> String {
            hours == hours.rounded() ? String(Int(hours)) : String(hours)
        }
    }
}
