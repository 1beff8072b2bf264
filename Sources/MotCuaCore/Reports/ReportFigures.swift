import Foundation

/// Counter sums over some days.
public struct CounterSums: Hashable, Sendable {
    public private(set) var values: [ReportCounter: Int] = [:]

    public init(_ values: [ReportCounter: Int] = [:]) {
        self.values = values.filter { $0.value != 0 }
    }

    public subscript(_ counter: ReportCounter) -> Int { values[counter] ?? 0 }

    public mutating func add(_ counter: ReportCounter, _ amount: Int) {
        let sum = self[counter] + amount
        values[counter] = sum == 0 ? nil : sum
    }
}

/// What a report is computed from: the sums over the period, before it and up to the day the
/// period's open dossiers are judged, and the processing-time histogram of the period.
public struct ReportInput: Hashable, Sendable {
    public var period = CounterSums()
    public var before = CounterSums()
    public var throughSnapshot = CounterSums()
    /// Half-day bucket → resolved dossiers.
    public var durations: [Int: Int] = [:]

    public init() {}

    /// Adds another part's sums: the whole of a report broken down is the sum of its rows.
    public mutating func add(_ other: ReportInput) {
        for (counter, value) in other.period.values { period.add(counter, value) }
        for (counter, value) in other.before.values { before.add(counter, value) }
        for (counter, value) in other.throughSnapshot.values { throughSnapshot.add(counter, value) }
        durations.merge(other.durations, uniquingKeysWith: +)
    }

    /// The reference computation, straight from facts: what the rollups must always agree with.
    public static func from(facts: some Sequence<DossierFact>, period: ReportPeriod, snapshot: CivilDate) -> ReportInput {
        var input = ReportInput()
        for fact in facts {
            for c in fact.contributions {
                if period.contains(c.day) { input.period.add(c.counter, c.amount) }
                if c.day < period.from { input.before.add(c.counter, c.amount) }
                if c.day <= snapshot { input.throughSnapshot.add(c.counter, c.amount) }
            }
            if let bucket = fact.durationBucket, let day = fact.closedDay, period.contains(day) {
                input.durations[bucket, default: 0] += 1
            }
        }
        return input
    }
}

/// The figures of one report, as the official tables name them.
public struct ReportFigures: Hashable, Sendable {
    /// Figures that count dossiers, in table order; each can be drilled down to its list.
    public enum Count: String, CaseIterable, Codable, Sendable {
        case carriedOver = "carried_over", received
        case resolvedEarly = "resolved_early", resolvedOnTime = "resolved_on_time", resolvedLate = "resolved_late"
        case inProgressOnTime = "in_progress_on_time", inProgressOverdue = "in_progress_overdue"
        case supplementRequested = "supplement_requested", refused, withdrawn, stopped
        case receivedOnlineFull = "received_online_full", receivedOnlinePartial = "received_online_partial"
        case feePayable = "fee_payable", paidOnline = "paid_online", digitised, lateApologised = "late_apologised"
        case rated, satisfied

        public var label: String {
            switch self {
            case .carriedOver: return "Kỳ trước chuyển qua"
            case .received: return "Tiếp nhận trong kỳ"
            case .resolvedEarly: return "Giải quyết trước hạn"
            case .resolvedOnTime: return "Giải quyết đúng hạn"
            case .resolvedLate: return "Giải quyết quá hạn"
            case .inProgressOnTime: return "Đang giải quyết trong hạn"
            case .inProgressOverdue: return "Đang giải quyết quá hạn"
            case .supplementRequested: return "Yêu cầu bổ sung"
            case .refused: return "Từ chối tiếp nhận"
            case .withdrawn: return "Rút hồ sơ"
            case .stopped: return "Dừng xử lý"
            case .receivedOnlineFull: return "Trực tuyến toàn trình"
            case .receivedOnlinePartial: return "Trực tuyến một phần"
            case .feePayable: return "Phải nộp phí, lệ phí"
            case .paidOnline: return "Thanh toán trực tuyến"
            case .digitised: return "Được số hóa"
            case .lateApologised: return "Quá hạn có văn bản xin lỗi"
            case .rated: return "Được đánh giá"
            case .satisfied: return "Hài lòng"
            }
        }
    }

    public var counts: [Count: Int]
    public var averageWorkingDays: Double?
    public var p90WorkingDays: Double?

    public subscript(_ count: Count) -> Int { counts[count] ?? 0 }

    /// The counts by their names, as the service index's formulas name them.
    public var named: [String: Int] { Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }) }

    public var resolved: Int { self[.resolvedEarly] + self[.resolvedOnTime] + self[.resolvedLate] }
    public var inProgress: Int { self[.inProgressOnTime] + self[.inProgressOverdue] }

    public var onTimeShare: Double? { Self.share(self[.resolvedEarly] + self[.resolvedOnTime], resolved) }
    public var onlineShare: Double? { Self.share(self[.receivedOnlineFull] + self[.receivedOnlinePartial], self[.received]) }
    public var onlinePaymentShare: Double? { Self.share(self[.paidOnline], self[.feePayable]) }
    public var digitisedShare: Double? { Self.share(self[.digitised], self[.received]) }
    public var satisfactionShare: Double? { Self.share(self[.satisfied], self[.rated]) }

    public static func share(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    public init(_ input: ReportInput) {
        let p = input.period
        let openBefore = input.before[.received] - input.before[.closed]
        let s = input.throughSnapshot
        let openAtEnd = s[.received] - s[.closed]
        let overdueAtEnd = s[.overdueStarted] - s[.overdueEnded]
        counts = [
            .carriedOver: openBefore, .received: p[.received],
            .resolvedEarly: p[.resolvedEarly], .resolvedOnTime: p[.resolvedOnTime], .resolvedLate: p[.resolvedLate],
            .inProgressOnTime: openAtEnd - overdueAtEnd, .inProgressOverdue: overdueAtEnd,
            .supplementRequested: p[.supplementRequested], .refused: p[.refused], .withdrawn: p[.withdrawn], .stopped: p[.stopped],
            .receivedOnlineFull: p[.receivedOnlineFull], .receivedOnlinePartial: p[.receivedOnlinePartial],
            .feePayable: p[.feePayable], .paidOnline: p[.paidOnline], .digitised: p[.digitised],
            .lateApologised: p[.lateApologised], .rated: p[.rated], .satisfied: p[.satisfied],
        ]
        let resolved = p[.resolvedEarly] + p[.resolvedOnTime] + p[.resolvedLate]
        let minutesPerDay = 8.0 * 60
        averageWorkingDays = resolved == 0 ? nil : Double(p[.processingMinutes]) / Double(resolved) / minutesPerDay
        p90WorkingDays = Self.percentile(0.9, of: input.durations).map { Double($0 * DossierFact.bucketMinutes) / minutesPerDay }
    }

    /// Nearest rank over the histogram: the smallest bucket that at least `q` of the dossiers reached.
    static func percentile(_ q: Double, of histogram: [Int: Int]) -> Int? {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = Int((q * Double(total)).rounded(.up))
        var seen = 0
        for bucket in histogram.keys.sorted() {
            seen += histogram[bucket]!
            if seen >= rank { return bucket }
        }
        return histogram.keys.max()
    }
}
