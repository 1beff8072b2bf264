import Foundation
import Hummingbird
import Mustache

/// The page templates and the interface strings, loaded once from the bundle.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in files(in: "templates", extension: "mustache") {
            do {
                try library.register(text, named: name)
            } catch {
                // A template that does not parse is a build defect; the page tests render each one.
                assertionFailure("template \(name): \(error)")
            }
        }
        return library
    }()

    static func render(_ context: [String: Any], _ template: String) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    static func files(in folder: String, extension fileExtension: String) -> [(String, String)] {
        guard let directory = Bundle.module.url(forResource: folder, withExtension: nil),
              let urls = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [] }
        return urls.filter { $0.pathExtension == fileExtension }.compactMap { url in
            (try? String(contentsOf: url, encoding: .utf8)).map { (url.deletingPathExtension().lastPathComponent, $0) }
        }
    }
}

/// The interface languages: Vietnamese by default, English by a switch.
enum Language: String, CaseIterable, Sendable {
    case vi, en

    static let cookieName = "motcua_lang"

    static let tables: [Language: [String: String]] = {
        var tables: [Language: [String: String]] = [:]
        for (name, text) in Templates.files(in: "i18n", extension: "json") {
            guard let language = Language(rawValue: name),
                  let table = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { continue }
            tables[language] = table
        }
        return tables
    }()

    var strings: [String: String] { Self.tables[self] ?? [:] }
    var other: Language { self == .vi ? .en : .vi }

    /// `?lang=` first (and remembered in a cookie), then the cookie, then Vietnamese.
    static func of(_ request: Request) -> (language: Language, chosen: Bool) {
        if let asked = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }) { return (asked, true) }
        if let kept = request.cookies[cookieName].flatMap({ Language(rawValue: $0.value) }) { return (kept, false) }
        return (.vi, false)
    }
}
