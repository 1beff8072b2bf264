import Foundation

/// Folds Vietnamese text for matching: lower case, no diacritics, `đ` as `d`, so that
/// "ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh" and "dang ky khai sinh" are the same words.
public enum VietnameseFolding {
    public static func fold(_ text: String) -> String {
        // đ/Đ is a letter of its own, not d with a mark: diacritic folding leaves it alone.
        let replaced = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
        return replaced.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// The folded words of a text: runs of letters and digits.
    public static func words(_ text: String) -> [String] {
        fold(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
