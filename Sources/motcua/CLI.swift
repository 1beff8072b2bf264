import ArgumentParser
import Foundation

/// Where commands write, swappable so tests can run the CLI in-process and read what it printed.
final class Output: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var standardOutput = ""
    private(set) var standardError = ""
    let echo: Bool

    init(echo: Bool) { self.echo = echo }

    func out(_ line: String) {
        lock.withLock { standardOutput += line + "\n" }
        if echo { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    func err(_ line: String) {
        lock.withLock { standardError += line + "\n" }
        if echo { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    @TaskLocal static var current = Output(echo: true)
}

/// A malformed argument: one line on standard error, nothing on standard output, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum CLI {
    static let usageExitCode: Int32 = 2

    /// Parses and runs one command line; returns the process exit status.
    static func execute(_ arguments: [String]) async -> Int32 {
        let output = Output.current
        do {
            var command = try MotCuaCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as UsageError {
            output.err("motcua: \(error)")
            return usageExitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = MotCuaCommand.exitCode(for: error)
            if code == .success {
                // --help and --version are reported as errors by the parser but are not failures.
                output.out(MotCuaCommand.fullMessage(for: error))
                return 0
            }
            if code == .validationFailure {
                let message = MotCuaCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                output.err("motcua: \(message.replacingOccurrences(of: "Error: ", with: ""))")
                return usageExitCode
            }
            output.err("motcua: \(error)")
            return 1
        }
    }
}

@main
struct Main {
    static func main() async {
        let status = await CLI.execute(Array(CommandLine.arguments.dropFirst()))
        exit(status)
    }
}

struct MotCuaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "MotCua: hệ thống một cửa cho cơ quan hành chính cấp tỉnh (one-stop public service platform).",
        subcommands: [ServeCommand.self, MigrateCommand.self, SeedCommand.self, UnitsCommand.self, CatalogueCommand.self, CalendarCommand.self, ReportCommand.self, BenchCommand.self]
    )
}
