import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore
import SQLKit

extension BenchCommand {
    /// Scenario 3 (inbox) and 6 (memory): an officer's first and a deep inbox page over HTTP at 1
    /// and 16 concurrent users, against the same query run directly in the database; and the
    /// server's resident memory, read from /proc, while it serves them.
    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inbox pages over HTTP at 1 and N users against the direct query; the server's memory (run after bench generate).")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Concurrent users, comma-separated.") var users = "1,16"
        @Option(help: "Requests per user.") var requests = 100
        @Option(help: "How many pages deep the deep page is.") var depth = 10
        @Option(help: "Port for the server under test.") var serverPort = 18181

        func run() async throws {
            let configuration = try settings.resolve()
            let environment = try await AppEnvironment.prepare(configuration, logger: Bench.quietLogger)
            let open = DossierStatus.allCases.filter { !$0.isFinal && $0 != .resultReady }.map(\.rawValue)
            guard let agency = try await environment.database.withConnection({ db in
                try await db.select().column("current_agency").column(SQLRaw("COUNT(*)"), as: "n").from("dossiers")
                    .where("status", .in, open).where("step_deadline_ms", .isNot, SQLLiteral.null)
                    .groupBy("current_agency").orderBy("n", .descending).limit(1)
                    .first(decodingColumn: "current_agency", as: String.self)
            }) else { throw UsageError("bench inbox: no open dossiers; run bench generate first") }
            let username = "bench.\(agency.lowercased().replacingOccurrences(of: ".", with: "-"))"
            let password = "Bench@2026-\(agency)"
            let administrator = Account(id: "bench", username: "bench", fullName: "Bench", role: .systemAdmin)
            if (try? await environment.accounts.signIn(username: username, password: password, kind: .bearer)) == nil {
                _ = try await environment.accounts.register(
                    AccountDraft(username: username, password: password, fullName: "Cán bộ đo hiệu năng", role: .processingOfficer, agencies: [agency]),
                    by: administrator)
            }
            let token = try await environment.accounts.signIn(username: username, password: password, kind: .bearer).token
            let viewer = Viewer(actor: DossierActor(id: "bench", role: .processingOfficer), agencies: [agency])
            var after: (deadlineMs: Int64, code: String)?
            var inboxSize = 0
            for _ in 0..<depth {
                let page = try await environment.dossiers.inbox(for: viewer, after: after, limit: 20)
                inboxSize += page.count
                guard let last = page.last, page.count == 20 else { break }
                after = DossierRepository.inboxPosition(DossierRepository.inboxKey(last))
            }
            let deepCursor = after.map { Data("\($0.deadlineMs)|\($0.code)".utf8).base64URL }
            let dossiers = try await environment.database.withConnection { db in
                try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("dossiers").first(decodingColumn: "n", as: Int.self) ?? 0
            }
            let headers = ["Authorization": "Bearer \(token)"]
            let arguments = settings.flags.sorted { $0.key < $1.key }.flatMap { ["--\($0.key)", $0.value] }
            Output.current.out("page\tdatabase\tdossiers\tusers\trequests/s\tp50 ms\tp95 ms\tp99 ms\tdirect p50 ms\tdirect p95 ms\tp95/direct p95\tstatuses")
            var peak = 0.0
            try await BenchLoad.withServer(arguments: arguments, port: serverPort) { server in
                for (name, cursor) in [("first", nil as String?), ("deep", deepCursor)] {
                    let path = "/api/v1/dossiers?limit=20" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let direct = try await Self.direct(environment.database, agency: agency,
                                                       after: name == "deep" ? after : nil, runs: requests)
                    _ = BenchLoad.run(port: serverPort, path: path, headers: headers, users: 2, requests: 20)   // warm-up
                    for count in users.split(separator: ",").compactMap({ Int($0) }) {
                        let r = BenchLoad.run(port: serverPort, path: path, headers: headers, users: count, requests: requests)
                        let statuses = r.statuses.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
                        Output.current.out([name, Bench.kind(settings), "\(dossiers)", "\(count)", String(format: "%.0f", r.throughput),
                                            Bench.format(r.percentile(50)), Bench.format(r.percentile(95)), Bench.format(r.percentile(99)),
                                            Bench.format(Bench.percentile(direct, 50) * 1000), Bench.format(Bench.percentile(direct, 95) * 1000),
                                            String(format: "%.2f", r.percentile(95) / (Bench.percentile(direct, 95) * 1000)),
                                            statuses].joined(separator: "\t"))
                        peak = max(peak, BenchLoad.memory(of: server.processIdentifier).peak)
                    }
                }
            }
            Output.current.out("memory\tserver peak resident \(String(format: "%.0f", peak)) MiB\tagency \(agency)\tinbox pages read \(inboxSize / 20)")
            try await environment.database.close()
        }

        /// The list's own query, straight to the database: the very builder the server runs, with
        /// its columns, filter, order and limit; the rows are fetched but not turned into answers.
        /// Timed on the connection, once it is in hand: taking it from the pool (on SQLite, a hop to
        /// a reader's thread and back, about 0.08 ms here) is the server's cost, not the query's.
        static func direct(_ database: Database, agency: String, after: (deadlineMs: Int64, code: String)?,
                           runs: Int) async throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<runs {
                times.append(try await database.withConnection { db in
                    let start = ContinuousClock.now
                    _ = try await DossierRepository.inboxQuery(DossierRepository.selectEntries(db), agencies: [agency], after: after, limit: 21).all()
                    return Bench.seconds(since: start)
                })
            }
            return times
        }
    }
}
