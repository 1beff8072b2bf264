import Foundation

/// Office hours of a province: the sessions of a working day and the acceptance cut-off.
/// Times are minutes after local midnight (Asia/Ho_Chi_Minh).
public struct WorkingSchedule: Hashable, Sendable, Codable {
    public struct Session: Hashable, Sendable, Codable {
        public let start: Int
        public let end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    public let sessions: [Session]
    /// A dossier accepted at or after this minute of a working day counts from the next working day;
    /// nil disables the cut-off.
    public let cutOff: Int?

    /// 07:30–11:30 and 13:00–17:00, cut-off 15:00: the usual civil-service day (8 hours).
    public static let standard = WorkingSchedule(
        sessions: [Session(start: 450, end: 690), Session(start: 780, end: 1020)], cutOff: 900)!

    /// Nil unless the sessions are non-empty, ordered, non-overlapping and within the day.
    public init?(sessions: [Session], cutOff: Int?) {
        guard !sessions.isEmpty else { return nil }
        var previousEnd = 0
        for session in sessions {
            guard session.start >= previousEnd, session.end > session.start, session.end <= 1440 else { return nil }
            previousEnd = session.end
        }
        if let cutOff, !(0...1440).contains(cutOff) { return nil }
        self.sessions = sessions
        self.cutOff = cutOff
    }

    /// Working seconds in one working day.
    public var secondsPerDay: Int { sessions.reduce(0) { $0 + ($1.end - $1.start) * 60 } }

    /// Parses `07:30-11:30,13:00-17:00`.
    public static func parseSessions(_ text: String) -> [Session]? {
        var sessions: [Session] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-")
            guard bounds.count == 2, let start = parseTime(String(bounds[0])), let end = parseTime(String(bounds[1]))
            else { return nil }
            sessions.append(Session(start: start, end: end))
        }
        return sessions.isEmpty ? nil : sessions
    }

    /// Parses `HH:MM` into minutes after midnight (24:00 allowed as the end of the day).
    public static func parseTime(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 1440
        else { return nil }
        return hours * 60 + minutes
    }
}
