import Foundation
import ZIPFoundation

/// The report table as files: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// diacritics right) and XLSX (the smallest Office Open XML workbook, zipped with ZIPFoundation).
enum ReportExport {
    static func csv(_ table: ReportTable) -> Data {
        func field(_ raw: String) -> String {
            // A cell that starts like a formula would run as one in a spreadsheet: make it text.
            // By scalar: "\r\n" is a single Character, equal to neither "\r" nor "\n".
            let text = raw.unicodeScalars.first.map { "=+-@\t\r\n".unicodeScalars.contains($0) } == true ? "'" + raw : raw
            return text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func text(_ cell: ReportTable.Cell) -> String {
            switch cell {
            case .text(let value): return field(value)
            case .count(let value): return String(value)
            case .decimal(let value): return value.map(ReportTable.rounded) ?? ""
            }
        }
        let lines = [table.headers.map(field).joined(separator: ",")] + table.rows.map { $0.map(text).joined(separator: ",") }
        return Data("\u{FEFF}".utf8) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func xlsx(_ table: ReportTable, sheetName: String = "Báo cáo") throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 0),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        try add("[Content_Types].xml", header + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            </Types>
            """)
        try add("_rels/.rels", header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", header + """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escaped(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            </Relationships>
            """)
        var sheet = header + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in ([table.headers.map(ReportTable.Cell.text)] + table.rows).enumerated() {
            sheet += #"<row r="\#(r + 1)">"#
            for (c, cell) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                switch cell {
                case .text(let value):
                    // Spreadsheet programs trim a cell's outer spaces unless the XML says to keep them.
                    let space = [value.unicodeScalars.first, value.unicodeScalars.last]
                        .contains { $0?.properties.isWhitespace == true } ? #" xml:space="preserve""# : ""
                    sheet += #"<c r="\#(ref)" t="inlineStr"><is><t\#(space)>\#(escaped(value))</t></is></c>"#
                case .count(let value): sheet += #"<c r="\#(ref)"><v>\#(value)</v></c>"#
                case .decimal(let value?): sheet += #"<c r="\#(ref)"><v>\#(ReportTable.rounded(value))</v></c>"#
                case .decimal(nil): break
                }
            }
            sheet += "</row>"
        }
        try add("xl/worksheets/sheet1.xml", sheet + "</sheetData></worksheet>")
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// A, B, …, Z, AA, AB…
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Control characters are not allowed in XML 1.0 at all.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            case "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
