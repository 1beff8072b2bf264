import Foundation

/// The national index of service to citizens and businesses (Decision 766/QĐ-TTg): groups of
/// indicators, each a rate scored `points × min(1, rate ÷ threshold)`. The groups, formulas and
/// thresholds are data (`service-index-766.json`), because the guidance changes.
public struct ServiceIndex: Codable, Hashable, Sendable {
    public struct Group: Codable, Hashable, Sendable {
        public let id: String
        public let name: String
        public let maxPoints: Double
        public let indicators: [Indicator]
    }

    public struct Indicator: Codable, Hashable, Sendable {
        public enum NoData: String, Codable, Sendable {
            /// Nothing to judge counts as met (no late dossier to apologise for).
            case full
            /// Nothing to judge counts as not met (no dossier received online).
            case zero
        }

        public let id: String
        public let name: String
        public let points: Double
        /// Names of figures added up for the rate's numerator and denominator.
        public let numerator: [String]
        public let denominator: [String]
        public let threshold: Double
        public let ifNoData: NoData
    }

    public let name: String
    public let note: String
    public let groups: [Group]

    /// The figures an indicator may name: every count of a report and these catalogue counts.
    public static let catalogueFigures = ["procedures_total", "procedures_complete", "procedures_fully_online"]

    /// The definition shipped with MotCua, checked once per process.
    public static let bundled: Result<ServiceIndex, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "service-index-766", withExtension: "json") else {
            throw DossierError("index.missing", "Thiếu tệp service-index-766.json")
        }
        return try decode(Data(contentsOf: url))
    }

    /// Reads and checks a definition: points add up per group, figures exist, thresholds are rates.
    public static func decode(_ data: Data) throws -> ServiceIndex {
        let index = try JSONDecoder().decode(ServiceIndex.self, from: data)
        let known = Set(ReportFigures.Count.allCases.map(\.rawValue) + catalogueFigures)
        var v = Validator()
        for (g, group) in index.groups.enumerated() {
            let sum = group.indicators.reduce(0) { $0 + $1.points }
            if abs(sum - group.maxPoints) > 1e-9 {
                v.add("groups[\(g)].maxPoints", "sum", "Nhóm «\(group.name)»: tổng điểm các chỉ tiêu \(sum) khác \(group.maxPoints)")
            }
            for (i, indicator) in group.indicators.enumerated() {
                for name in indicator.numerator + indicator.denominator where !known.contains(name) {
                    v.add("groups[\(g)].indicators[\(i)]", "unknown_figure", "Chỉ tiêu «\(indicator.name)» dùng số liệu không có: \(name)")
                }
                if !(indicator.threshold > 0 && indicator.threshold <= 1) {
                    v.add("groups[\(g)].indicators[\(i)].threshold", "range", "Ngưỡng phải trong (0, 1]")
                }
            }
        }
        try v.check()
        return index
    }

    public var maxPoints: Double { groups.reduce(0) { $0 + $1.maxPoints } }

    /// Scores figures (by name) against the index.
    public func score(_ figures: [String: Int]) -> ServiceIndexScore {
        let groups = groups.map { group in
            ServiceIndexScore.GroupScore(id: group.id, name: group.name, maxPoints: group.maxPoints, indicators: group.indicators.map { indicator in
                let numerator = indicator.numerator.reduce(0) { $0 + (figures[$1] ?? 0) }
                let denominator = indicator.denominator.reduce(0) { $0 + (figures[$1] ?? 0) }
                let rate = ReportFigures.share(numerator, denominator)
                let points = rate.map { indicator.points * min(1, $0 / indicator.threshold) }
                    ?? (indicator.ifNoData == .full ? indicator.points : 0)
                return ServiceIndexScore.IndicatorScore(id: indicator.id, name: indicator.name, numerator: numerator, denominator: denominator,
                                                        rate: rate, threshold: indicator.threshold, maxPoints: indicator.points, points: points)
            })
        }
        return ServiceIndexScore(groups: groups)
    }
}

public struct ServiceIndexScore: Hashable, Sendable, Codable {
    public struct IndicatorScore: Hashable, Sendable, Codable {
        public let id: String
        public let name: String
        public let numerator: Int
        public let denominator: Int
        /// Nil when there was nothing to judge (the denominator is 0).
        public let rate: Double?
        public let threshold: Double
        public let maxPoints: Double
        public let points: Double
    }

    public struct GroupScore: Hashable, Sendable, Codable {
        public let id: String
        public let name: String
        public let maxPoints: Double
        public let indicators: [IndicatorScore]

        public var points: Double { indicators.reduce(0) { $0 + $1.points } }
    }

    public let groups: [GroupScore]

    public var points: Double { groups.reduce(0) { $0 + $1.points } }
}
