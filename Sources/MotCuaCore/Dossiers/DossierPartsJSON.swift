/// The hand-written JSON forms of a dossier's parts, byte for byte what their `Codable` forms
/// encode to: the API writes a dossier's answer with them, the store a dossier's state and
/// applicant (see `JSONText`).

/// The stored form: instants as `Date` encodes itself, seconds since 2001 as a number.
extension DossierState: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.field("acceptedAt", acceptedAt?.timeIntervalSinceReferenceDate)
            json.field("apologies", apologies)
            json.field("appointment", appointment?.timeIntervalSinceReferenceDate)
            json.field("approved", approved)
            json.field("channel", channel.rawValue)
            json.field("countingFrom", countingFrom?.timeIntervalSinceReferenceDate)
            json.field("fees", fees)
            json.field("finishedAt", finishedAt?.timeIntervalSinceReferenceDate)
            json.field("missingDocuments", missingDocuments)
            json.field("originalAppointment", originalAppointment?.timeIntervalSinceReferenceDate)
            json.field("paidOnline", paidOnline)
            json.field("pausedSince", pausedSince?.timeIntervalSinceReferenceDate)
            json.key("pauses")
            json.array(pauses) { json, pause in
                json.object { json in
                    json.field("duration", pause.duration)
                    json.field("start", pause.start.timeIntervalSinceReferenceDate)
                }
            }
            json.field("paymentDueVnd", paymentDueVnd)
            json.field("paymentRequested", paymentRequested)
            json.field("processVersion", processVersion)
            json.field("rating", rating)
            json.field("resumeStatus", resumeStatus?.rawValue)
            json.field("status", status.rawValue)
            json.field("statutoryDue", statutoryDue?.timeIntervalSinceReferenceDate)
            json.field("stepDeadline", stepDeadline?.timeIntervalSinceReferenceDate)
            json.field("stepIndex", stepIndex)
            json.field("stepStartedAt", stepStartedAt?.timeIntervalSinceReferenceDate)
            json.field("submittedAt", submittedAt.timeIntervalSinceReferenceDate)
            json.field("supplementRequests", supplementRequests)
        }
    }
}

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
