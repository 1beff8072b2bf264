import Foundation
import Testing
@testable import MotCuaCore

func sampleProcedure(code: String = "1.001193", name: String = "Đăng ký khai sinh", days: Int = 1) -> Procedure {
    Procedure(code: code, name: name, description: "Đăng ký việc sinh cho trẻ em", field: "Hộ tịch", level: .commune,
              receivingAgencies: ["A"], decidingAgencies: ["A"], legalBasis: ["Luật Hộ tịch số 60/2014/QH13"],
              documents: [RequiredDocument(name: "Tờ khai", form: .original, copies: 1, requirement: .mandatory)],
              fees: [Fee(name: "Lệ phí", amountVnd: 0)], timeLimit: .days(days), onlineLevel: .full, resultType: .certificate,
              channels: [.counter, .online], status: .published, validFrom: CivilDate(2025, 7, 1))
}

func steps(_ hours: [Double]) -> [ProcessStep] {
    hours.enumerated().map { ProcessStep(name: "Bước \($0.offset + 1)", role: .specialist, budgetWorkingHours: $0.element) }
}

@Suite struct CatalogueValidationTests {
    @Test func aProcessOverTheStatutoryLimitNamesTheStepAndTheHoursOver() {
        // 1 working day = 8 hours; 2 + 4 + 3 + 1 = 10: the third step crosses the limit, 2 hours over.
        var process = ProcessVersion(version: 1, validFrom: CivilDate(2025, 7, 1), steps: steps([2, 4, 3, 1]))
        process.steps[2].name = "Ký duyệt"
        let issues = process.issues(limit: .days(1))
        #expect(issues.count == 1)
        #expect(issues[0].path == "steps[2].budgetWorkingHours")
        #expect(issues[0].code == "process.over_statutory_limit")
        #expect(issues[0].message.contains("Bước 3 «Ký duyệt»"))
        #expect(issues[0].message.contains("quá 2 giờ"))
        #expect(ProcessVersion(version: 1, validFrom: CivilDate(2025, 7, 1), steps: steps([2, 4, 2])).issues(limit: .days(1)).isEmpty)
        #expect(ProcessVersion(version: 1, validFrom: CivilDate(2025, 7, 1), steps: steps([4.5])).issues(limit: .hours(4)).first?.message.contains("quá 0,50 giờ") == true)
    }

    @Test func procedureIssuesNameTheirFields() {
        var procedure = sampleProcedure()
        procedure.code = "khai sinh"
        procedure.fees = [Fee(name: "Lệ phí", amountVnd: 5000, table: [.init(description: "x", amountVnd: 1)])]
        procedure.documents[0].requirement = .conditional
        procedure.timeLimit = TimeLimit(workingDays: 1, workingHours: 4)
        procedure.channels = [.counter]
        let paths = procedure.issues().map(\.path)
        #expect(paths == ["code", "documents[0].condition", "fees[0].amountVnd", "timeLimit", "channels"])
        #expect(sampleProcedure().issues().isEmpty)
    }

    @Test func versionsAreNumberedInOrder() {
        let document = ProcedureDocument(procedure: sampleProcedure(), processes: [
            ProcessVersion(version: 1, validFrom: CivilDate(2025, 7, 1), steps: steps([4])),
            ProcessVersion(version: 3, validFrom: CivilDate(2025, 6, 1), steps: steps([2])),
        ])
        #expect(document.issues().map(\.path) == ["processes[1].version", "processes[1].validFrom"])
    }

    /// The shipped demo catalogue is valid by the same rules the API applies.
    @Test func theDemoCatalogueIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MotCuaStore/Demo/Resources/demo-catalogue.json")
        let catalogue = try JSONDecoder().decode(CatalogueDocument.self, from: Data(contentsOf: url))
        #expect(catalogue.procedures.count >= 30)
        for document in catalogue.procedures {
            #expect(document.issues().isEmpty, "\(document.procedure.code): \(document.issues())")
        }
        #expect(catalogue.procedures.filter { $0.processes.count > 1 }.count >= 5)
        #expect(Set(catalogue.procedures.map(\.procedure.level)) == [.commune, .province])
    }

    @Test func documentsRoundTripAsFlatJSON() throws {
        let document = ProcedureDocument(procedure: sampleProcedure(), processes: [
            ProcessVersion(version: 1, validFrom: CivilDate(2025, 7, 1), steps: steps([4]))])
        let data = try JSONEncoder().encode(document)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["code"] as? String == "1.001193" && (object["processes"] as? [Any])?.count == 1)
        #expect(try JSONDecoder().decode(ProcedureDocument.self, from: data) == document)
    }
}

@Suite struct ReengineeringTests {
    /// A hand-checked example: three procedures over the second half of 2025.
    /// - A: v1 5 steps / 40 h (2025-07-01) → v2 3 steps / 28 h (2025-10-01): cut 2 steps, 12 h.
    /// - B: v1 4 steps / 16 h, never changed: compared, not re-engineered.
    /// - C: v1 3 steps / 20 h → v2 (2025-08-01) 3 steps / 16 h → v3 (2025-11-15) 2 steps / 12 h:
    ///   from v1 to v3, cut 1 step and 8 h.
    /// - D: its only version starts in 2026: not compared.
    /// Totals: 2 of 3 re-engineered, 3 steps and 20 hours cut.
    @Test func totalsMatchTheHandCheckedExample() {
        let july = CivilDate(2025, 7, 1)
        let documents = [
            ProcedureDocument(procedure: sampleProcedure(code: "1.000001", name: "A", days: 5), processes: [
                ProcessVersion(version: 1, validFrom: july, steps: steps([8, 8, 8, 8, 8])),
                ProcessVersion(version: 2, validFrom: CivilDate(2025, 10, 1), steps: steps([12, 8, 8])),
            ]),
            ProcedureDocument(procedure: sampleProcedure(code: "1.000002", name: "B", days: 2), processes: [
                ProcessVersion(version: 1, validFrom: july, steps: steps([4, 4, 4, 4])),
            ]),
            ProcedureDocument(procedure: sampleProcedure(code: "1.000003", name: "C", days: 3), processes: [
                ProcessVersion(version: 1, validFrom: july, steps: steps([8, 8, 4])),
                ProcessVersion(version: 2, validFrom: CivilDate(2025, 8, 1), steps: steps([8, 4, 4])),
                ProcessVersion(version: 3, validFrom: CivilDate(2025, 11, 15), steps: steps([8, 4])),
            ]),
            ProcedureDocument(procedure: sampleProcedure(code: "1.000004", name: "D", days: 1), processes: [
                ProcessVersion(version: 1, validFrom: CivilDate(2026, 1, 1), steps: steps([8])),
            ]),
        ]
        let report = ReengineeringReport.between(july, CivilDate(2025, 12, 31), documents: documents)
        #expect(report.processesCompared == 3)
        #expect(report.processesReengineered == 2)
        #expect(report.stepsCut == 3)
        #expect(report.hoursCut == 20)
        #expect(report.rows.map(\.procedureCode) == ["1.000001", "1.000003"])
        #expect(report.rows[1].fromVersion == 1 && report.rows[1].toVersion == 3)
        // Between two named versions of one procedure.
        let pair = ReengineeringReport.versions(2, 3, of: documents[2])
        #expect(pair?.stepsCut == 1 && pair?.hoursCut == 4)
        // Scope: by procedure, by field, by an agency that works a step.
        var withStepAgency = documents[2]
        withStepAgency.processes[0].steps[0].agency = "000.00.05.H26"
        let scoped = Array(documents.dropLast(2)) + [withStepAgency, documents[3]]
        #expect(ReengineeringReport.scope(scoped, procedure: "1.000002", agency: nil, field: nil).map(\.procedure.code) == ["1.000002"])
        #expect(ReengineeringReport.scope(scoped, procedure: nil, agency: "000.00.05.H26", field: nil).map(\.procedure.code) == ["1.000003"])
        #expect(ReengineeringReport.scope(scoped, procedure: nil, agency: nil, field: "Đất đai").isEmpty)
        let csv = report.csv()
        #expect(csv.hasPrefix("Mã thủ tục,Tên thủ tục,Lĩnh vực"))
        #expect(csv.contains("1.000001,A,Hộ tịch,1,2,5,3,2,40,28,12,có\r\n"))
        #expect(csv.contains("Tổng,2/3 quy trình được tái cấu trúc,,,,,,3,,,20,"))
    }
}

@Suite struct SearchTests {
    @Test func foldingIgnoresCaseMarksAndDStroke() {
        #expect(VietnameseFolding.words("ĐĂNG KÝ KHAI SINH") == ["dang", "ky", "khai", "sinh"])
        #expect(VietnameseFolding.words("Đăng ký khai sinh") == ["dang", "ky", "khai", "sinh"])
        #expect(VietnameseFolding.words("dang ky khai sinh") == ["dang", "ky", "khai", "sinh"])
        #expect(VietnameseFolding.words("Giấy phép xây dựng (nhà ở)") == ["giay", "phep", "xay", "dung", "nha", "o"])
    }

    @Test func rankingNameBeforeDescriptionAnyOrderPrefixes() {
        let candidates = [
            CatalogueSearch.Candidate(code: "3", name: "Cấp bản sao trích lục hộ tịch", otherText: "bản sao giấy khai sinh Hộ tịch"),
            CatalogueSearch.Candidate(code: "1", name: "Đăng ký khai sinh", otherText: "Đăng ký việc sinh cho trẻ em Hộ tịch"),
            CatalogueSearch.Candidate(code: "2", name: "Đăng ký lại khai sinh", otherText: "Hộ tịch"),
            CatalogueSearch.Candidate(code: "4", name: "Đăng ký kết hôn", otherText: "Hộ tịch"),
        ]
        func codes(_ query: String) -> [String] { CatalogueSearch.rank(candidates, terms: CatalogueSearch.terms(query)).map(\.code) }
        #expect(codes("dang ky khai sinh") == ["1", "2"])
        #expect(codes("ĐĂNG KÝ KHAI SINH") == codes("Đăng ký khai sinh"))
        #expect(codes("sinh khai") == ["1", "2", "3"])     // any order; "3" matches only in its description
        #expect(codes("khai si") == ["1", "2", "3"])       // prefixes while typing
        #expect(codes("ket h") == ["4"])
        #expect(codes("xyz").isEmpty)
    }
}
