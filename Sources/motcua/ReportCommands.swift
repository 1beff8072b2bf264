import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports: rebuild the facts and rollups from the dossiers' histories.",
        subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every dossier's report fact and all rollups from states, histories and files (one transaction).")
        @OptionGroup var settings: SettingsOptions

        func run() async throws {
            let configuration = try settings.resolve()
            // The same calendar as the server's (shipped rules, notices file, notices in the database).
            let environment = try await AppEnvironment.prepare(configuration, logger: Logs.logger(for: configuration))
            do {
                let start = ContinuousClock.now
                let count = try await ReportRepository(database: environment.database).rebuild(calendar: environment.calendar)
                try await environment.database.close()
                Output.current.out("Rebuilt the report facts of \(count) dossiers and their rollups in \(start.duration(to: .now)).")
            } catch {
                try? await environment.database.close()
                throw error
            }
        }
    }
}
