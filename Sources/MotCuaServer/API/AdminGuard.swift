/// The deployment's administrator token (MOTCUA_ADMIN_TOKEN): it sets up agencies, the catalogue
/// and the first accounts before any system administrator exists. With none configured, only a
/// system administrator's session administers.
struct AdminGuard: Sendable {
    let token: String?

    /// Whether an Authorization header carries the administrator token.
    func matches(_ header: String) -> Bool {
        guard let token, header.hasPrefix("Bearer ") else { return false }
        return Self.constantTimeEqual(Array(header.dropFirst(7).utf8), Array(token.utf8))
    }

    /// Compares without stopping at the first difference, so timing does not reveal the token.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
