import Foundation

/// Charts drawn on the server as SVG: no script, no external library, a title and description for
/// screen readers, every value also written as text (so they read in print and in black and white).
enum Charts {
    struct Series {
        let name: String
        let colour: String
        let values: [Int]
    }

    /// Grouped vertical bars: one group per label (a month), one bar per series.
    static func groupedBars(id: String, title: String, description: String, labels: [String], series: [Series]) -> String {
        let width = 640.0, height = 260.0, left = 40.0, bottom = 40.0, top = 30.0
        let maxValue = max(1, series.flatMap(\.values).max() ?? 1)
        let groupWidth = (width - left - 10) / Double(max(1, labels.count))
        let barWidth = max(2, (groupWidth - 6) / Double(max(1, series.count)))
        let plotHeight = height - bottom - top
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        svg += line(x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom)
        for (i, label) in labels.enumerated() {
            let x0 = left + Double(i) * groupWidth + 3
            for (s, serie) in series.enumerated() {
                let value = serie.values.indices.contains(i) ? serie.values[i] : 0
                let h = plotHeight * Double(value) / Double(maxValue)
                let x = x0 + Double(s) * barWidth
                svg += ##"<rect x="\##(f(x))" y="\##(f(height - bottom - h))" width="\##(f(barWidth - 1))" height="\##(f(h))" fill="\##(serie.colour)"><title>\##(escaped("\(serie.name), \(label): \(value)"))</title></rect>"##
                if value > 0 {
                    svg += text(x + barWidth / 2, height - bottom - h - 3, String(value), size: 9, anchor: "middle")
                }
            }
            svg += text(x0 + groupWidth / 2 - 3, height - bottom + 14, label, size: 10, anchor: "middle")
        }
        svg += legend(series.map { ($0.name, $0.colour) }, y: height - 8, left: left)
        return svg + "</svg>"
    }

    /// Horizontal bars, best first: a rate per row (0–100 %).
    static func rankedBars(id: String, title: String, description: String, rows: [(label: String, percent: Double?)]) -> String {
        let rowHeight = 26.0, labelWidth = 250.0, width = 640.0
        let height = Double(rows.count) * rowHeight + 20
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        for (i, row) in rows.enumerated() {
            let y = 10 + Double(i) * rowHeight
            svg += text(labelWidth - 6, y + 15, shortened(row.label, 38), size: 11, anchor: "end")
            let barWidth = (width - labelWidth - 60) * (row.percent ?? 0) / 100
            svg += ##"<rect x="\##(f(labelWidth))" y="\##(f(y + 3))" width="\##(f(barWidth))" height="18" fill="#1f5fa8"><title>\##(escaped("\(row.label): \(row.percent.map(ReportTable.rounded) ?? "–") %"))</title></rect>"##
            svg += text(labelWidth + barWidth + 4, y + 16, row.percent.map { ReportTable.rounded($0) + " %" } ?? "–", size: 11, anchor: "start")
        }
        return svg + "</svg>"
    }

    /// A grid of counts, rows by agency and columns by step, darker for more.
    static func heat(id: String, title: String, description: String, rows: [String], columns: [Int], counts: [String: [Int: Int]],
                     columnLabel: (Int) -> String) -> String {
        let cell = 44.0, labelWidth = 250.0, top = 24.0
        let width = labelWidth + Double(max(1, columns.count)) * cell + 10, height = top + Double(rows.count) * cell + 6
        let maxValue = max(1, counts.values.flatMap(\.values).max() ?? 1)
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        for (c, column) in columns.enumerated() {
            svg += text(labelWidth + Double(c) * cell + cell / 2, top - 8, columnLabel(column), size: 11, anchor: "middle")
        }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cell
            svg += text(labelWidth - 6, y + cell / 2 + 4, shortened(row, 38), size: 11, anchor: "end")
            for (c, column) in columns.enumerated() {
                let value = counts[row]?[column] ?? 0
                // From white to a deep red; text turns white on the dark cells.
                let shade = Double(value) / Double(maxValue)
                let fill = value == 0 ? "#ffffff" : shadeOfRed(shade)
                let x = labelWidth + Double(c) * cell
                svg += ##"<rect x="\##(f(x))" y="\##(f(y))" width="\##(f(cell - 2))" height="\##(f(cell - 2))" fill="\##(fill)" stroke="#999999"><title>\##(escaped("\(row), \(columnLabel(column)): \(value)"))</title></rect>"##
                svg += text(x + cell / 2 - 1, y + cell / 2 + 4, String(value), size: 12, anchor: "middle", fill: shade > 0.5 ? "#ffffff" : "#000000")
            }
        }
        return svg + "</svg>"
    }

    static func shadeOfRed(_ shade: Double) -> String {
        let g = Int(230 - 200 * shade), b = Int(220 - 190 * shade)
        return String(format: "#%02x%02x%02x", max(0, 255 - Int(80 * shade)), max(0, g), max(0, b))
    }

    static func open(id: String, title: String, description: String, width: Double, height: Double) -> String {
        ##"<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 \##(f(width)) \##(f(height))" "##
            + ##"aria-labelledby="\##(id)-title \##(id)-desc"><title id="\##(id)-title">\##(escaped(title))</title>"##
            + ##"<desc id="\##(id)-desc">\##(escaped(description))</desc>"##
    }

    static func legend(_ items: [(String, String)], y: Double, left: Double) -> String {
        var x = left, out = ""
        for (name, colour) in items {
            out += ##"<rect x="\##(f(x))" y="\##(f(y - 9))" width="10" height="10" fill="\##(colour)"/>"##
            out += text(x + 14, y, name, size: 11, anchor: "start")
            x += 24 + Double(name.count) * 6.5
        }
        return out
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
        ##"<line x1="\##(f(x1))" y1="\##(f(y1))" x2="\##(f(x2))" y2="\##(f(y2))" stroke="#333333"/>"##
    }

    static func text(_ x: Double, _ y: Double, _ value: String, size: Int, anchor: String, fill: String = "#000000") -> String {
        ##"<text x="\##(f(x))" y="\##(f(y))" font-size="\##(size)" text-anchor="\##(anchor)" fill="\##(fill)">\##(escaped(value))</text>"##
    }

    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String { ReportExport.escaped(text) }
}
