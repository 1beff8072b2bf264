import Foundation
import MotCuaCore
import SQLKit

extension DossierService {
    /// Brings the dossier's report fact, and with it the rollups, up to date with the event just
    /// recorded, in the caller's transaction: reports are never behind the dossiers.
    func recordFact(of dossier: StoredDossier, after event: DossierEvent, onlineLevel: Procedure.OnlineLevel,
                    isNew: Bool = false, in db: any SQLDatabase) async throws {
        let old = isNew ? nil : try await FactRepository.find(dossier.code, in: db)
        if !isNew, old == nil {
            // No fact yet (a dossier moved in from another system): the whole history, this event
            // included, makes it, so that what happened before is not lost from the reports.
            if let fact = try await ReportRepository.recomputeFact(dossier.code, calendar: calendar, in: db) {
                try await FactRepository.save(fact, replacing: nil, in: db)
            }
            return
        }
        var fact = old ?? DossierFact(code: dossier.code, agency: dossier.receivingAgency, procedure: dossier.procedureCode)
        fact.record(event)
        fact.update(from: dossier.state, onlineLevel: onlineLevel, officer: dossier.responsibleOfficer, calendar: calendar)
        try await FactRepository.save(fact, replacing: old, in: db)
    }

    /// A dossier with a file attached counts as digitised.
    func recordDigitised(_ code: String, in db: any SQLDatabase) async throws {
        guard let old = try await FactRepository.find(code, in: db), !old.digitised else { return }
        var fact = old
        fact.digitised = true
        try await FactRepository.save(fact, replacing: old, in: db)
    }
}
