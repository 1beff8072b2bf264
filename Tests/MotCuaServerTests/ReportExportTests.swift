import Foundation
import Testing
import ZIPFoundation
@testable import MotCuaServer

/// Exports keep text as text: quoted where CSV needs it, never a formula, escaped in XML.
@Suite struct ReportExportTests {
    static let table = ReportTable(headers: ["Cơ quan", "Tiếp nhận trong kỳ", "Tỷ lệ đúng hạn (%)"], rows: [
        [.text("=HYPERLINK(\"http://x\",\"bấm\")"), .count(3), .decimal(66.666)],
        [.text("Sở A, Sở B <&>"), .count(0), .decimal(nil)],
    ])

    @Test func csvQuotesAndDisarmsFormulas() {
        let text = String(decoding: ReportExport.csv(Self.table), as: UTF8.self)
        #expect(text == "\u{FEFF}Cơ quan,Tiếp nhận trong kỳ,Tỷ lệ đúng hạn (%)\r\n"
            + "\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\",3,66.7\r\n"
            + "\"Sở A, Sở B <&>\",0,\r\n")
    }

    /// "\r\n" is one Character in Swift: the checks go by scalar, so it cannot split a row unquoted.
    @Test func csvQuotesLineBreaksOfEveryKind() {
        let table = ReportTable(headers: ["Cơ quan"], rows: [[.text("Sở A\r\n=HYPERLINK(1)")], [.text("\r\n=1+1")]])
        let text = String(decoding: ReportExport.csv(table), as: UTF8.self)
        #expect(text == "\u{FEFF}Cơ quan\r\n\"Sở A\r\n=HYPERLINK(1)\"\r\n\"'\r\n=1+1\"\r\n")
    }

    @Test func xmlDropsWhatXMLCannotHold() {
        #expect(ReportExport.escaped("a\u{FFFE}b\u{FFFF}c\u{1}d\te") == "abcd\te")
    }

    @Test func xlsxEscapesTextAndWritesNumbersAsNumbers() throws {
        let xml = try Self.sheetXML(Self.table)
        #expect(xml.contains("<t>Sở A, Sở B &lt;&amp;&gt;</t>"))
        #expect(xml.contains(#"<c r="B2"><v>3</v></c><c r="C2"><v>66.7</v></c>"#))
        #expect(!xml.contains(#"r="C3""#))   // no rate: an empty cell
        #expect(ReportExport.column(0) == "A" && ReportExport.column(25) == "Z" && ReportExport.column(26) == "AA")
    }

    @Test func xlsxKeepsOuterSpacesOfText() throws {
        let table = ReportTable(headers: ["Cơ quan"], rows: [[.text("  Phòng Tư pháp ")], [.text("Sở Y tế")]])
        let xml = try Self.sheetXML(table)
        #expect(xml.contains(#"<t xml:space="preserve">  Phòng Tư pháp </t>"#))
        #expect(xml.contains("<t>Sở Y tế</t>"))
    }

    /// The worksheet XML of the table's XLSX export.
    static func sheetXML(_ table: ReportTable) throws -> String {
        let archive = try Archive(data: try ReportExport.xlsx(table), accessMode: .read)
        var sheet = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
        return String(decoding: sheet, as: UTF8.self)
    }
}
