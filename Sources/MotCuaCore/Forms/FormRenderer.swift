import Foundation

/// Renders the forms as printable A4 HTML in the Vietnamese administrative layout (agency and
/// national motto header, title, body, signatures, form number). Every value is escaped.
public enum FormRenderer {
    public enum Failure: Error, Equatable {
        /// The command that issues the form has not happened to this dossier.
        case notIssued(FormKind)
    }

    public static func render(_ kind: FormKind, _ input: FormInput) throws -> String {
        let event = kind.command.flatMap { command in input.events.last { $0.command == command } }
        if kind.command != nil, event == nil { throw Failure.notIssued(kind) }
        let agency = input.agencyNames[input.receivingAgency] ?? input.receivingAgency
        let issuedAt = event?.at ?? input.events.last?.at ?? input.state.submittedAt
        var body = ""
        switch kind {
        case .receipt: body = receipt(input, event!)
        case .supplementRequest: body = supplement(input, event!)
        case .refusal: body = refusal(input, event!)
        case .apology: body = apology(input, event!)
        case .stopNotice: body = stopNotice(input, event!)
        case .controlSlip: body = controlSlip(input)
        }
        let signer = event.map { input.actorNames[$0.actor.id] ?? "" } ?? ""
        return page(kind: kind, agency: agency, code: input.code, issuedAt: issuedAt, body: body, signer: signer,
                    applicantSigns: kind == .receipt)
    }

    // MARK: - The forms

    static func applicantLines(_ input: FormInput) -> String {
        let a = input.applicant
        var lines = [row("Tên tổ chức, cá nhân", a.organisationName.map { "\($0) (người đại diện: \(a.fullName))" } ?? a.fullName)]
        if let id = a.citizenId { lines.append(row("Số định danh cá nhân", id)) }
        if let address = a.address { lines.append(row("Địa chỉ", address)) }
        if let phone = a.phone { lines.append(row("Số điện thoại", phone)) }
        if let email = a.email { lines.append(row("Thư điện tử", email)) }
        return lines.joined()
    }

    static func receipt(_ input: FormInput, _ event: DossierEvent) -> String {
        let documents = input.documents.isEmpty ? "<li>(Theo danh mục thành phần hồ sơ của thủ tục)</li>"
            : input.documents.map { "<li>\(escape($0))</li>" }.joined()
        let fees = (input.state.fees ?? []).map { "<li>\(escape($0.name))\($0.item.map { " (\(escape($0)))" } ?? ""): \(Money.label($0.amountVnd))</li>" }
        return """
            <p>\(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)) tiếp nhận hồ sơ của:</p>
            <table class="fields">\(applicantLines(input))\(row("Nội dung yêu cầu giải quyết", input.procedureName))</table>
            <p>1. Giấy tờ trong hồ sơ gồm:</p><ol>\(documents)</ol>
            <p>2. Số lượng hồ sơ: 01 bộ.</p>
            <p>3. Thời gian giải quyết hồ sơ theo quy định: tính theo ngày làm việc, trừ thời gian tạm dừng.</p>
            <p>4. Thời gian nhận hồ sơ: <strong>\(dateTime(event.at))</strong>.</p>
            <p>5. Thời gian trả kết quả giải quyết hồ sơ: <strong>\(dateTime(input.state.originalAppointment ?? input.state.appointment))</strong>.</p>
            <p>6. Phí, lệ phí phải nộp: \(fees.isEmpty ? "không" : "<ul>\(fees.joined())</ul>Tổng: <strong>\(Money.label(input.state.feesDueVnd))</strong>")</p>
            <p>7. Đăng ký nhận kết quả tại: \(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)).</p>
            <p>Mã hồ sơ để tra cứu: <strong>\(escape(input.code))</strong> (kèm 4 số cuối số định danh hoặc số điện thoại).</p>
            """
    }

    static func supplement(_ input: FormInput, _ event: DossierEvent) -> String {
        let missing = (event.data["missing"] ?? "").split(separator: ";").map { "<li>\(escape($0.trimmingCharacters(in: .whitespaces)))</li>" }
        return """
            <p>\(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)) đã nhận hồ sơ mã \(escape(input.code)) của:</p>
            <table class="fields">\(applicantLines(input))\(row("Nội dung yêu cầu giải quyết", input.procedureName))</table>
            <p>Sau khi kiểm tra, đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm:</p><ol>\(missing.joined())</ol>
            <p>Lý do: \(escape(event.reason ?? ""))</p>
            <p>Thời gian giải quyết hồ sơ tạm dừng từ \(dateTime(event.at)) và được tính tiếp khi nhận đủ hồ sơ bổ sung.</p>
            <p>Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ bộ phận tiếp nhận để được hướng dẫn.</p>
            """
    }

    static func refusal(_ input: FormInput, _ event: DossierEvent) -> String {
        """
        <p>\(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)) nhận được hồ sơ của:</p>
        <table class="fields">\(applicantLines(input))\(row("Nội dung yêu cầu giải quyết", input.procedureName))</table>
        <p>Qua xem xét, cơ quan thông báo không tiếp nhận, giải quyết hồ sơ này với lý do:</p>
        <p class="reason">\(escape(event.reason ?? ""))</p>
        <p>Xin thông báo để ông/bà được biết và thực hiện.</p>
        """
    }

    static func apology(_ input: FormInput, _ event: DossierEvent) -> String {
        let previous = input.events.last { $0.at < event.at && $0.data["appointment"] != nil }?.data["appointment"].flatMap(parse)
        return """
            <p>\(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)) tiếp nhận hồ sơ mã \(escape(input.code)) của:</p>
            <table class="fields">\(applicantLines(input))\(row("Nội dung yêu cầu giải quyết", input.procedureName))</table>
            <p>Thời gian hẹn trả kết quả: \(dateTime(previous ?? input.state.originalAppointment)).</p>
            <p>Tuy nhiên đến nay, cơ quan chưa trả kết quả cho ông/bà đúng hẹn. Lý do: \(escape(event.reason ?? ""))</p>
            <p>Sự chậm trễ này đã gây phiền hà cho ông/bà. Cơ quan thành thật xin lỗi và hẹn trả kết quả vào
            <strong>\(dateTime(event.data["appointment"].flatMap(parse)))</strong>.</p>
            """
    }

    static func stopNotice(_ input: FormInput, _ event: DossierEvent) -> String {
        """
        <p>\(escape(input.agencyNames[input.receivingAgency] ?? input.receivingAgency)) thông báo dừng xử lý hồ sơ mã \(escape(input.code)) của:</p>
        <table class="fields">\(applicantLines(input))\(row("Nội dung yêu cầu giải quyết", input.procedureName))</table>
        <p>Lý do dừng xử lý: \(escape(event.reason ?? ""))</p>
        <p>Thời điểm dừng: \(dateTime(event.at)).</p>
        """
    }

    /// One row per act in the history: who handed over and received it when, and whether the step
    /// it ended finished before, on or after its deadline.
    static func controlSlip(_ input: FormInput) -> String {
        var stepDeadline: Date?
        var stepAgency = input.receivingAgency
        var rows: [String] = []
        for event in input.events {
            var outcome = ""
            if let deadline = stepDeadline, ["forward", "send_back", "approve", "mark_result_ready", "request_supplement",
                                             "request_payment", "stop", "refuse"].contains(event.command) {
                let eventDay = WorkingCalendar.local(event.at).0, deadlineDay = WorkingCalendar.local(deadline).0
                outcome = event.at > deadline ? "Quá hạn" : eventDay < deadlineDay ? "Trước hạn" : "Đúng hạn"
            }
            let who = input.actorNames[event.actor.id].map { "\($0) (\(roleLabel(event.actor.role)))" } ?? roleLabel(event.actor.role)
            rows.append("""
                <tr><td>\(escape(input.agencyNames[stepAgency] ?? stepAgency))</td><td>\(dateTime(event.at))</td>
                <td>\(escape(commandLabel(event.command)))<br>\(escape(who))</td><td>\(escape(event.toStatus.label))</td>
                <td>\(escape(outcome))</td><td>\(escape(event.reason ?? ""))</td></tr>
                """)
            if let text = event.data["stepDeadline"], let deadline = parse(text) { stepDeadline = deadline }
            if let agency = event.data["agency"] { stepAgency = agency }
        }
        return """
            <table class="fields">\(row("Mã hồ sơ", input.code))\(applicantLines(input))\(row("Thủ tục", input.procedureName))
            \(row("Ngày hẹn trả kết quả", dateTime(input.state.appointment)))</table>
            <table class="grid"><thead><tr><th>Cơ quan, đơn vị</th><th>Thời gian giao, nhận</th><th>Việc đã làm, người thực hiện</th>
            <th>Trạng thái</th><th>Kết quả (trước hạn, đúng hạn, quá hạn)</th><th>Ghi chú</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """
    }

    // MARK: - Layout

    static let style = """
        @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
        body { font-family: "Times New Roman", Times, serif; font-size: 13pt; line-height: 1.4; color: #000; max-width: 170mm; margin: 0 auto; }
        .header { display: flex; justify-content: space-between; text-align: center; }
        .header div { width: 48%; } .motto { font-weight: bold; } .motto span { display: block; font-weight: bold; text-decoration: underline; }
        h1 { font-size: 14pt; text-align: center; margin: 18pt 0 12pt; } .form-no { text-align: right; font-style: italic; }
        table.fields td:first-child { padding-right: 8pt; white-space: nowrap; vertical-align: top; }
        table.grid { border-collapse: collapse; width: 100%; font-size: 11pt; } table.grid th, table.grid td { border: 1px solid #000; padding: 3pt; vertical-align: top; }
        .signatures { display: flex; justify-content: space-between; margin-top: 24pt; text-align: center; } .signatures div { width: 45%; }
        .signatures em { display: block; margin-bottom: 48pt; }
        @media screen and (max-width: 600px) { body { font-size: 11pt; padding: 0 8px; } .header { flex-direction: column; }
          .header div { width: 100%; } table.grid { font-size: 9pt; } td, th { overflow-wrap: anywhere; } }
        """

    static func page(kind: FormKind, agency: String, code: String, issuedAt: Date, body: String, signer: String, applicantSigns: Bool) -> String {
        let (date, _) = WorkingCalendar.local(issuedAt)
        let (y, m, d) = date.components
        let applicant = applicantSigns ? "<div><strong>NGƯỜI NỘP HỒ SƠ</strong><em>(Ký và ghi rõ họ tên)</em></div>" : "<div></div>"
        return """
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mẫu số \(kind.rawValue) – \(escape(code))</title><style>\(style)</style></head>
            <body>
            <p class="form-no">Mẫu số \(kind.rawValue)</p>
            <div class="header"><div><strong>\(escape(agency.uppercased()))</strong><br>Số: \(escape(code))</div>
            <div class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<span>Độc lập - Tự do - Hạnh phúc</span>
            <em>ngày \(d) tháng \(m) năm \(y)</em></div></div>
            <h1>\(kind.title)</h1>
            <p style="text-align:center">Mã hồ sơ: \(escape(code))</p>
            \(body)
            <div class="signatures">\(applicant)<div><strong>NGƯỜI \(kind == .receipt ? "TIẾP NHẬN" : "LẬP PHIẾU")</strong>
            <em>(Ký và ghi rõ họ tên)</em>\(escape(signer))</div></div>
            </body></html>
            """
    }

    static func row(_ label: String, _ value: String) -> String {
        "<tr><td>\(escape(label)):</td><td>\(escape(value))</td></tr>"
    }

    /// Escapes by Unicode scalar, not by Character: a combining or "prepend" scalar glued to `<`
    /// makes a Character that is not equal to "<" but still opens a tag in the browser.
    public static func escape<S: StringProtocol>(_ text: S) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func dateTime(_ instant: Date?) -> String {
        guard let instant else { return "…" }
        let (date, second) = WorkingCalendar.local(instant)
        let (y, m, d) = date.components
        let minutes = Int(second) / 60
        return "\(pad(minutes / 60, 2)) giờ \(pad(minutes % 60, 2)) phút, ngày \(pad(d, 2))/\(pad(m, 2))/\(y)"
    }

    static func parse(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }

    static func roleLabel(_ role: DossierRole) -> String {
        switch role {
        case .citizen: return "người nộp"
        case .intakeOfficer: return "cán bộ tiếp nhận"
        case .processingOfficer: return "chuyên viên xử lý"
        case .leader: return "lãnh đạo"
        case .agencyAdmin: return "quản trị cơ quan"
        case .systemAdmin: return "quản trị hệ thống"
        }
    }

    public static func commandLabel(_ command: String) -> String {
        [
            "submit": "Nộp hồ sơ", "accept": "Tiếp nhận", "refuse": "Từ chối tiếp nhận", "request_supplement": "Yêu cầu bổ sung",
            "receive_supplement": "Nhận hồ sơ bổ sung", "forward": "Chuyển bước tiếp theo", "send_back": "Trả lại bước trước",
            "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính", "record_payment": "Ghi nhận đã nộp", "approve": "Phê duyệt kết quả",
            "mark_result_ready": "Có kết quả", "return_result": "Trả kết quả", "stop": "Dừng xử lý", "withdraw": "Rút hồ sơ",
            "apologise": "Xin lỗi, hẹn lại", "rate": "Đánh giá mức độ hài lòng",
        ][command] ?? command
    }
}
