import Foundation

extension Procedure {
    /// Everything checkable without the database; agency references are checked by the store.
    public func issues(prefix: String = "") -> [FieldIssue] {
        var v = Validator()
        let p = prefix
        v.require(Procedure.isValidCode(code), "\(p)code", "format", "Mã thủ tục gồm chữ số, chữ cái và dấu chấm, ví dụ 1.001193")
        v.text(name, "\(p)name", maxLength: 500)
        v.text(field, "\(p)field", maxLength: 200)
        if let description { v.require(description.count <= 4000, "\(p)description", "too_long", "Tối đa 4000 ký tự") }
        v.require(!receivingAgencies.isEmpty, "\(p)receivingAgencies", "required", "Cần ít nhất một cơ quan tiếp nhận")
        v.require(!decidingAgencies.isEmpty, "\(p)decidingAgencies", "required", "Cần ít nhất một cơ quan giải quyết")
        for (i, document) in documents.enumerated() {
            let path = "\(p)documents[\(i)]"
            v.text(document.name, "\(path).name", maxLength: 1000)
            v.require((1...50).contains(document.copies), "\(path).copies", "range", "Số bản từ 1 đến 50")
            if document.requirement == .conditional {
                v.require(!(document.condition ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "\(path).condition", "required",
                          "Giấy tờ có điều kiện phải nêu điều kiện")
            }
        }
        for (i, fee) in fees.enumerated() {
            let path = "\(p)fees[\(i)]"
            v.text(fee.name, "\(path).name", maxLength: 500)
            switch (fee.amountVnd, fee.table) {
            case (let amount?, nil):
                v.require(amount >= 0, "\(path).amountVnd", "negative", "Số tiền không âm")
            case (nil, let table?):
                v.require(!table.isEmpty, "\(path).table", "required", "Biểu phí cần ít nhất một dòng")
                for (j, row) in table.enumerated() {
                    v.text(row.description, "\(path).table[\(j)].description", maxLength: 500)
                    v.require(row.amountVnd >= 0, "\(path).table[\(j)].amountVnd", "negative", "Số tiền không âm")
                }
            default:
                v.add("\(path).amountVnd", "one_of", "Ghi một mức phí (amountVnd) hoặc một biểu phí (table), không cả hai")
            }
        }
        switch (timeLimit.workingDays, timeLimit.workingHours) {
        case (let days?, nil): v.require((1...3650).contains(days), "\(p)timeLimit.workingDays", "range", "Từ 1 đến 3650 ngày làm việc")
        case (nil, let hours?): v.require((1...29200).contains(hours), "\(p)timeLimit.workingHours", "range", "Từ 1 giờ làm việc")
        default: v.add("\(p)timeLimit", "one_of", "Ghi thời hạn theo ngày làm việc (workingDays) hoặc giờ làm việc (workingHours)")
        }
        v.require(!channels.isEmpty, "\(p)channels", "required", "Cần ít nhất một cách nộp hồ sơ")
        v.require(Set(channels).count == channels.count, "\(p)channels", "duplicate", "Cách nộp bị lặp")
        if onlineLevel != .none {
            v.require(channels.contains(.online), "\(p)channels", "online_required", "Dịch vụ công trực tuyến phải nhận hồ sơ trực tuyến")
        }
        if let validFrom, let validTo {
            v.require(validFrom <= validTo, "\(p)validTo", "before_start", "Ngày hết hiệu lực phải sau ngày có hiệu lực")
        }
        return v.issues
    }

    public static func isValidCode(_ code: String) -> Bool {
        (1...40).contains(code.count) && code.first?.isNumber == true
            && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }
}

extension ProcessVersion {
    /// Steps present, each named and budgeted; handoffs name their agency; and the budgets together
    /// within the statutory limit. Over the limit, the issue names the step where the sum crosses
    /// it and by how many hours the process is over.
    public func issues(limit: TimeLimit, prefix: String = "") -> [FieldIssue] {
        var v = Validator()
        v.require(!steps.isEmpty, "\(prefix)steps", "required", "Quy trình cần ít nhất một bước")
        v.require(version >= 1, "\(prefix)version", "range", "Phiên bản bắt đầu từ 1")
        var running = 0.0
        var crossed = false
        let statutory = limit.totalWorkingHours
        for (i, step) in steps.enumerated() {
            let path = "\(prefix)steps[\(i)]"
            v.text(step.name, "\(path).name", maxLength: 500)
            let budget = step.budgetWorkingHours
            v.require(budget.isFinite && budget > 0 && (budget * 4).rounded() == budget * 4, "\(path).budgetWorkingHours", "range",
                      "Thời gian của bước là số giờ làm việc dương, bội số của 0,25")
            if step.handoff == true {
                v.require(step.agency != nil, "\(path).agency", "required", "Bước liên thông phải nêu cơ quan nhận hồ sơ")
            }
            if budget.isFinite { running += budget }
            if !crossed && running > statutory + 1e-9 {
                crossed = true
                let total = totalBudgetWorkingHours
                v.add("\(path).budgetWorkingHours", "process.over_statutory_limit",
                      "Bước \(i + 1) «\(step.name)» vượt thời hạn giải quyết: tổng thời gian các bước \(hours(total)) giờ, "
                      + "quá \(hours(total - statutory)) giờ so với thời hạn \(hours(statutory)) giờ làm việc")
            }
        }
        return v.issues
    }

    private func hours(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: ".", with: ",")
    }
}

extension ProcedureDocument {
    /// The procedure and each of its versions: numbered 1, 2, … with dates that never go back.
    public func issues() -> [FieldIssue] {
        var result = procedure.issues()
        for (i, process) in processes.enumerated() {
            result += process.issues(limit: procedure.timeLimit, prefix: "processes[\(i)].")
            if process.version != i + 1 {
                result.append(FieldIssue("processes[\(i)].version", "sequence", "Các phiên bản được đánh số 1, 2, 3… theo thứ tự"))
            }
            if i > 0, process.validFrom < processes[i - 1].validFrom {
                result.append(FieldIssue("processes[\(i)].validFrom", "order", "Phiên bản sau không thể có hiệu lực trước phiên bản trước"))
            }
        }
        return result
    }

    public func validate() throws {
        let issues = issues()
        if !issues.isEmpty { throw ValidationError(issues) }
    }
}
