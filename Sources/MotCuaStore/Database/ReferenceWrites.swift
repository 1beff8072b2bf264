import Foundation

/// Counts this process's writes of reference data (catalogue, agencies, units), so that copies
/// held in memory for the busy paths (`ProcedureCache`, `AgencyProvinces`) are checked again at
/// once after one. Writes by another process are seen when a copy's time runs out.
enum ReferenceWrites {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0

    static var generation: Int { lock.withLock { count } }

    static func happened() { lock.withLock { count += 1 } }
}
