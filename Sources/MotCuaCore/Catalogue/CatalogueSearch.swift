/// Search over procedures the way people type: accent- and case-insensitive, `đ` = `d`, words in
/// any order, each word matching the start of a word (so a half-typed word already matches).
/// Ranking is done here, not in SQL, so that SQLite and PostgreSQL give the same order.
public enum CatalogueSearch {
    /// A procedure to rank, held as folded ASCII bytes (" dang ky khai sinh ") so that matching a
    /// term is a byte search for " term", with no string splitting or Unicode work per query.
    public struct Candidate: Sendable {
        public let code: String
        public let name: String
        let nameIndex: [UInt8]
        let textIndex: [UInt8]

        public init(code: String, name: String, otherText: String) {
            self.init(code: code, name: name, foldedName: CatalogueSearch.indexText(name: name, other: ""),
                      indexText: CatalogueSearch.indexText(name: name, other: otherText))
        }

        /// From stored `indexText`s (already folded): of the name alone, and of everything.
        public init(code: String, name: String, foldedName: String, indexText: String) {
            self.code = code
            self.name = name
            self.nameIndex = Array(foldedName.utf8)
            self.textIndex = Array(indexText.utf8)
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
        let prefixes = terms.map { Array((" " + $0).utf8) }
        let words = terms.map { Array((" " + $0 + " ").utf8) }
        struct Scored { let candidate: Candidate; let inName: Int; let exact: Int; let leading: Bool }
        let scored: [Scored] = candidates.compactMap { candidate in
            var inName = 0, exact = 0
            for (index, prefix) in prefixes.enumerated() {
                let nameHit = contains(candidate.nameIndex, prefix)
                guard nameHit || contains(candidate.textIndex, prefix) else { return nil }
                if nameHit { inName += 1 }
                if contains(candidate.nameIndex, words[index]) { exact += 1 }
            }
            let leading = candidate.nameIndex.starts(with: prefixes[0])
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

    /// Whether `needle` occurs in `haystack` (both short ASCII).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        guard n > 0, n <= h else { return n == 0 }
        let first = needle[0]
        var i = 0
        while i <= h - n {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }
}
