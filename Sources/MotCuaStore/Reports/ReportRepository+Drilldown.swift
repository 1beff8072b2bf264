import Foundation
import MotCuaCore
import SQLKit

extension ReportRepository {
    /// The dossiers behind one figure of a report, by code, keyset-paged. Each condition is the
    /// figure's rollup arithmetic said of one fact, so the list is as long as the figure.
    public func dossiers(behind figure: ReportFigures.Count, _ scope: ReportScope, period: ReportPeriod, snapshot: CivilDate,
                         after: String? = nil, limit: Int) async throws -> [DossierFact] {
        let from = period.from.dayNumber, to = period.to.dayNumber, snap = snapshot.dayNumber
        return try await database.withConnection { db in
            var query = FactRepository.select(db)
            if let officer = scope.officer { query = query.where("officer", .equal, officer) }
            if let agencies = scope.agencies { query = query.where("agency_code", .in, agencies.isEmpty ? [""] : agencies) }
            if let procedures = scope.procedures { query = query.where("procedure_code", .in, procedures.isEmpty ? [""] : procedures) }
            if let after { query = query.where("dossier_code", .greaterThan, after) }

            func within(_ column: String) {
                query = query.where(column, .greaterThanOrEqual, from).where(column, .lessThanOrEqual, to)
            }
            func openAtSnapshot() {
                query = query.where("received_day", .lessThanOrEqual, snap)
                    .where { $0.where("closed_day", .is, SQLLiteral.null).orWhere("closed_day", .greaterThan, snap) }
            }
            // Withdrawn and stopped count received dossiers only, as their rollup counters do.
            func received() { query = query.where("received_day", .isNot, SQLLiteral.null) }
            func flag(_ column: String) { query = query.where(column, .equal, true) }
            func outcome(_ value: DossierFact.Outcome) {
                query = query.where("outcome", .equal, value.rawValue)
                within("closed_day")
            }
            switch figure {
            case .carriedOver:
                query = query.where("received_day", .lessThan, from)
                    .where { $0.where("closed_day", .is, SQLLiteral.null).orWhere("closed_day", .greaterThanOrEqual, from) }
            case .received: within("received_day")
            case .resolvedEarly: outcome(.early)
            case .resolvedOnTime: outcome(.onTime)
            case .resolvedLate: outcome(.late)
            case .refused: outcome(.refused)
            case .withdrawn: outcome(.withdrawn); received()
            case .stopped: outcome(.stopped); received()
            case .lateApologised: outcome(.late); flag("apologised")
            case .inProgressOverdue:
                openAtSnapshot()
                flag("overdue")
                query = query.where("due_day", .lessThanOrEqual, snap)
            case .inProgressOnTime:
                openAtSnapshot()
                query = query.where { $0.where("overdue", .equal, false).orWhere("due_day", .greaterThan, snap) }
            case .supplementRequested: within("supplement_day")
            case .receivedOnlineFull: within("received_day"); query = query.where("online", .equal, "full")
            case .receivedOnlinePartial: within("received_day"); query = query.where("online", .equal, "partial")
            case .feePayable: within("received_day"); flag("fee_payable")
            case .paidOnline: within("received_day"); flag("fee_payable"); flag("paid_online")
            case .digitised: within("received_day"); flag("digitised")
            case .rated: within("rated_day")
            case .satisfied: within("rated_day"); flag("satisfied")
            }
            return try await query.orderBy("dossier_code").limit(limit).all().map(FactRepository.decode)
        }
    }
}
