import Hummingbird

/// Until accounts arrive (the dossier issue), writes need the administrator token configured with
/// MOTCUA_ADMIN_TOKEN; with no token configured nothing is writable.
struct AdminGuard: Sendable {
    let token: String?

    func require(_ request: Request) throws {
        guard let token, let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEqual(Array(header.dropFirst(7).utf8), Array(token.utf8))
        else { throw Problem.unauthorized }
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
