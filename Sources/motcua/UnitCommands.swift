import ArgumentParser
import Foundation
import Logging
import MotCuaCore
import MotCuaServer
import MotCuaStore

struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Administrative units: the legacy three-level and the 2025 two-level registers.",
        subcommands: [Import.self, ApplyMerges.self, Show.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import both official unit lists (the shipped copies, or the CSV files in --from).")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "A folder with units-legacy-2024.csv and units-2025.csv.") var from: String?

        func run() async throws {
            let legacy: [AdministrativeUnit], current: [AdministrativeUnit]
            do {
                if let from {
                    legacy = try UnitListParser.legacy(try readList(from, "units-legacy-2024.csv"))
                    current = try UnitListParser.reform2025(try readList(from, "units-2025.csv"))
                } else {
                    legacy = try BundledUnitLists.legacy()
                    current = try BundledUnitLists.reform2025()
                }
            } catch let error as UnitListParser.ParseError {
                throw UsageError("units import: \(error)")
            }
            let started = ContinuousClock.now
            try await withMigratedDatabase(settings) { database in
                let repository = UnitRepository(database: database)
                try await repository.importUnits(legacy)
                try await repository.importUnits(current)
            }
            Output.current.out("Imported \(legacy.count) legacy units and \(current.count) units of 2025 in \(String(format: "%.2f s", Bench.seconds(since: started))).")
        }
    }

    struct ApplyMerges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply-merges", abstract: "Record which legacy commune became which 2025 commune.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "A ward-merges-2025.csv file instead of the shipped copy.") var file: String?

        func run() async throws {
            let merges: [UnitSuccession]
            do {
                merges = try file.map { try UnitListParser.merges(try readFile($0)) } ?? BundledUnitLists.merges()
            } catch let error as UnitListParser.ParseError {
                throw UsageError("units apply-merges: \(error)")
            }
            try await withMigratedDatabase(settings) { database in
                do {
                    try await UnitRepository(database: database).applyMerges(merges)
                } catch let error as UnitError {
                    throw UsageError("units apply-merges: \(error)")
                }
            }
            Output.current.out("Recorded \(merges.count) successions of legacy communes.")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A unit by code, and what it is today.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "Official code: 2 digits (province), 3 (district) or 5 (commune).") var code: String
        @Option(help: "2025 or legacy.") var scheme: String = "2025"

        func run() async throws {
            guard let scheme = UnitScheme(rawValue: scheme) else { throw UsageError("units show: --scheme is 2025 or legacy") }
            guard UnitLevel(code: code) != nil else { throw UsageError("units show: \"\(code)\" is not a unit code (2, 3 or 5 digits)") }
            let lines = try await withMigratedDatabase(settings) { database -> [String] in
                let repository = UnitRepository(database: database)
                guard let unit = try await repository.unit(scheme, code: code) else {
                    throw UsageError("units show: no unit \(code) in the \(scheme.rawValue) register")
                }
                var lines = ["\(unit.code)\t\(unit.name)\t\(unit.type)\t\(scheme.rawValue)"]
                if scheme == .legacy {
                    for successor in try await repository.successors(ofLegacyCommune: code) {
                        let name = try await repository.unit(.reform2025, code: successor.successorCode)?.name ?? "?"
                        lines.append("→ \(successor.successorCode)\t\(name)\(successor.isDefault ? "\t(mặc định)" : "")")
                    }
                }
                return lines
            }
            lines.forEach(Output.current.out)
        }
    }
}

func readFile(_ path: String) throws -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw UsageError("cannot read \(path)") }
    return text
}

private func readList(_ folder: String, _ name: String) throws -> String {
    try readFile(URL(fileURLWithPath: folder).appendingPathComponent(name).path)
}

/// Opens the configured database, migrates it, runs `body`, and closes it whatever happens.
func withMigratedDatabase<R: Sendable>(_ settings: SettingsOptions, _ body: (Database) async throws -> R) async throws -> R {
    let configuration = try settings.resolve()
    let logger = Logs.logger(for: configuration)
    let database = try Database.open(configuration.database, logger: logger)
    do {
        do {
            try await Migrator(database: database).migrate(logger: logger)
        } catch let error as MigrationError {
            throw UsageError(error.description)
        }
        let result = try await body(database)
        try await database.close()
        return result
    } catch {
        try? await database.close()
        throw error
    }
}
