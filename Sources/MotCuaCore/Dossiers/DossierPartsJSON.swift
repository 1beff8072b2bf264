/// The hand-written JSON forms of a dossier's parts, byte for byte what their `Codable` forms
/// encode to: the API writes a dossier's answer with them (see `JSONText`).

extension Applicant: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.field("address", address)
            json.field("citizenId", citizenId)
            json.field("email", email)
            json.field("fullName", fullName)
            json.field("kind", kind.rawValue)
            json.field("organisationName", organisationName)
            json.field("phone", phone)
            json.field("taxCode", taxCode)
        }
    }
}

extension FeeLine: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.field("amountVnd", amountVnd)
            json.field("item", item)
            json.field("name", name)
        }
    }
}

extension Rating: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.field("comment", comment)
            json.field("level", level.rawValue)
        }
    }
}
