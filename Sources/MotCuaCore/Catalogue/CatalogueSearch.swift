/// Search over procedures the way people type: accent- and case-insensitive, `đ` = `d`, words in
/// any order, each word matching the start of a word (so a half-typed word already matches).
/// Ranking is done here, not in SQL, so that SQLite and PostgreSQL give the same order.
public enum CatalogueSearch {
    public struct Candidate: Sendable {
        public let code: String
        public let name: String
        public let nameWords: [String]
        public let otherWords: [String]

        public init(code: String, name: String, otherText: String) {
            self.code = code
            self.name = name
            self.nameWords = VietnameseFolding.words(name)
            self.otherWords = VietnameseFolding.words(otherText)
        }

        /// From stored, already folded words (`indexText` of the name, and of everything), without folding again.
        public init(code: String, name: String, foldedName: String, indexText: String) {
            self.code = code
            self.name = name
            self.nameWords = foldedName.split(separator: " ").map(String.init)
            self.otherWords = indexText.split(separator: " ").map(String.init)
        }
    }

    /// The folded, distinct words of a query, at most 12.
    public static func terms(_ query: String) -> [String] {
        var seen: Set<String> = []
        return VietnameseFolding.words(query).filter { seen.insert($0).inserted }.prefix(12).map { $0 }
    }

    /// The text indexed for a procedure: its folded words, space-separated with a space at each end,
    /// so a prefilter can ask for `% term%` in either database.
    public static func indexText(name: String, other: String) -> String {
        " " + (VietnameseFolding.words(name) + VietnameseFolding.words(other)).joined(separator: " ") + " "
    }

    /// The candidates that match every term, best first: more terms found in the name, then more
    /// whole-word matches in the name, then a name that starts with the first term, then by name.
    public static func rank(_ candidates: [Candidate], terms: [String]) -> [Candidate] {
        guard !terms.isEmpty else { return candidates.sorted { $0.name < $1.name } }
        struct Scored { let candidate: Candidate; let inName: Int; let exact: Int; let leading: Bool }
        let scored: [Scored] = candidates.compactMap { candidate in
            var inName = 0, exact = 0
            for term in terms {
                let nameHit = candidate.nameWords.contains { $0.hasPrefix(term) }
                guard nameHit || candidate.otherWords.contains(where: { $0.hasPrefix(term) }) else { return nil }
                if nameHit { inName += 1 }
                if candidate.nameWords.contains(term) { exact += 1 }
            }
            let leading = candidate.nameWords.first?.hasPrefix(terms[0]) ?? false
            return Scored(candidate: candidate, inName: inName, exact: exact, leading: leading)
        }
        return scored.sorted { a, b in
            if a.inName != b.inName { return a.inName > b.inName }
            if a.exact != b.exact { return a.exact > b.exact }
            if a.leading != b.leading { return a.leading }
            if a.candidate.name != b.candidate.name { return a.candidate.name < b.candidate.name }
            return a.candidate.code < b.candidate.code
        }.map(\.candidate)
    }
}
