import Foundation
import MotCuaStore
import Testing
@testable import motcua

/// Runs the CLI in-process and returns (exit status, standard output, standard error).
func run(_ arguments: String...) async -> (Int32, String, String) {
    let output = Output(echo: false)
    let status = await Output.$current.withValue(output) { await CLI.execute(arguments) }
    return (status, output.standardOutput, output.standardError)
}

@Suite struct CalendarCLITests {
    @Test func holidaysOneLinePerDayOff() async {
        let (status, out, err) = await run("calendar", "holidays", "2026")
        #expect(status == 0 && err.isEmpty)
        let lines = out.split(separator: "\n")
        #expect(lines.contains("2026-02-17\tTết Nguyên Đán (mùng 1)"))
        #expect(lines.first == "2026-01-01\tTết Dương lịch")
        #expect(lines.count == 15)
    }

    @Test func lunarAndSolar() async {
        #expect(await run("calendar", "lunar", "2026-02-17") == (0, "2026-01-01\n", ""))
        #expect(await run("calendar", "lunar", "2025-07-25") == (0, "2025-06L-01\n", ""))
        #expect(await run("calendar", "solar", "2026-01-01") == (0, "2026-02-17\n", ""))
        #expect(await run("calendar", "solar", "2025-06L-01") == (0, "2025-07-25\n", ""))
    }

    @Test func addWorkingDaysAndHours() async {
        #expect(await run("calendar", "add", "2026-02-13T16:00", "3d") == (0, "2026-02-25T17:00:00+07:00\n", ""))
        #expect(await run("calendar", "add", "2026-02-13T16:00", "12h") == (0, "2026-02-24T11:30:00+07:00\n", ""))
        #expect(await run("calendar", "add", "2026-02-13T09:00:00Z", "1h") == (0, "2026-02-23T08:30:00+07:00\n", ""))
        #expect(await run("calendar", "add", "2026-02-13T16:00", "1h", "--no-cut-off") == (0, "2026-02-13T17:00:00+07:00\n", ""))
    }

    /// Malformed input: status 2, exactly one line on standard error, nothing on standard output.
    @Test(arguments: [
        ["calendar", "holidays", "26"],
        ["calendar", "holidays", "2300"],
        ["calendar", "lunar", "2026-02-30"],
        ["calendar", "lunar", "1899-12-31"],
        ["calendar", "solar", "2024-06L-01"],
        ["calendar", "solar", "tomorrow"],
        ["calendar", "add", "2026-02-13 16:00", "3d"],
        ["calendar", "add", "2026-02-13T16:00", "3w"],
        ["calendar", "add", "2026-02-13T16:00", "-3d"],
        ["calendar", "lunar"],
        ["calendar", "lunar", "2026-01-01", "extra"],
    ])
    func malformedInput(arguments: [String]) async {
        let output = Output(echo: false)
        let status = await Output.$current.withValue(output) { await CLI.execute(arguments) }
        #expect(status == 2)
        #expect(output.standardOutput.isEmpty)
        #expect(output.standardError.split(separator: "\n").count == 1, "\(output.standardError)")
    }
}

@Suite struct DatabaseCLITests {
    @Test func migrateTwiceDoesNothingTheSecondTime() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.sqlite").path
        let first = await run("migrate", "--sqlite-path", path, "--log-level", "error")
        #expect(first.0 == 0)
        #expect(first.1 == "Applied \(Migrations.all.count) migration(s); the schema is at version \(Migrations.latestVersion).\n")
        let second = await run("migrate", "--sqlite-path", path, "--log-level", "error")
        #expect(second.0 == 0)
        #expect(second.1 == "Nothing to migrate: the schema is at version \(Migrations.latestVersion).\n")
        let seeded = await run("seed", "--demo", "--sqlite-path", path, "--log-level", "error")
        #expect(seeded.0 == 0)
    }

    @Test func aMalformedSettingStopsWithItsName() async {
        let (status, out, err) = await run("migrate", "--port", "eighty")
        #expect(status == 2 && out.isEmpty)
        #expect(err == "motcua: --port: expected a port number 0–65535, got \"eighty\"\n")
        let unknown = await run("migrate", "--colour", "blue")
        #expect(unknown.0 == 2)
        #expect(unknown.2.contains("--colour"))
    }

    @Test func unitsImportApplyMergesAndShow() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("u.sqlite").path
        let early = await run("units", "apply-merges", "--sqlite-path", path, "--log-level", "error")
        #expect(early.0 == 2 && early.2.contains("motcua units import"))
        let imported = await run("units", "import", "--sqlite-path", path, "--log-level", "error")
        #expect(imported.0 == 0)
        #expect(imported.1.hasPrefix("Imported 10794 legacy units and 3355 units of 2025 in "))
        let merged = await run("units", "apply-merges", "--sqlite-path", path, "--log-level", "error")
        #expect(merged == (0, "Recorded 10597 successions of legacy communes.\n", ""))
        let shown = await run("units", "show", "00611", "--scheme", "legacy", "--sqlite-path", path, "--log-level", "error")
        #expect(shown.1 == """
            00611\tPhường Xuân Tảo\tPhường\tlegacy
            → 00611\tPhường Xuân Đỉnh\t(mặc định)
            → 00091\tPhường Phú Thượng
            → 00160\tPhường Nghĩa Đô

            """)
        let missing = await run("units", "show", "123", "--sqlite-path", path, "--log-level", "error")
        #expect(missing.0 == 2 && missing.1.isEmpty)
    }

    @Test func demoSeedCatalogueExportImportAndReengineering() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.sqlite").path
        let exportPath = directory.appendingPathComponent("catalogue.json").path
        for _ in 0..<2 {
            let seeded = await run("seed", "--demo", "--sqlite-path", path, "--log-level", "error")
            #expect(seeded.0 == 0 && seeded.1.hasPrefix("Demo data ready"))
        }
        let exported = await run("catalogue", "export", "--output", exportPath, "--sqlite-path", path, "--log-level", "error")
        #expect(exported == (0, "Exported 30 procedures to \(exportPath).\n", ""))
        let imported = await run("catalogue", "import", exportPath, "--sqlite-path", path, "--log-level", "error")
        #expect(imported == (0, "Created 0, updated 0, unchanged 30 procedures.\n", ""))
        let report = await run("catalogue", "reengineering", "--from", "2025-07-01", "--to", "2026-06-30", "--sqlite-path", path, "--log-level", "error")
        #expect(report.0 == 0)
        #expect(report.1.contains("quy trình được tái cấu trúc"))
        let csv = await run("catalogue", "reengineering", "--from", "2025-07-01", "--to", "2026-06-30", "--csv", "--sqlite-path", path, "--log-level", "error")
        #expect(csv.1.hasPrefix("Mã thủ tục,Tên thủ tục,Lĩnh vực"))
        let bad = await run("catalogue", "reengineering", "--from", "2026-01-01", "--sqlite-path", path)
        #expect(bad.0 == 2 && bad.1.isEmpty)
    }
}
