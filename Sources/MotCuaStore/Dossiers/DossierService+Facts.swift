import Foundation
import MotCuaCore
import SQLKit

extension DossierService {
    /// What a dossier's fact was before the event being recorded.
    enum PriorFact {
        /// Made for a dossier created in this transaction, not stored yet: nothing to replace.
        case created(DossierFact)
        /// As read and locked in this transaction; nil when the dossier has none.
        case stored(DossierFact?)
    }

    /// Brings the dossier's report fact, and with it the rollups, up to date with the event just
    /// recorded, in the caller's transaction: reports are never behind the dossiers.
    func recordFact(of dossier: StoredDossier, after event: DossierEvent?, onlineLevel: Procedure.OnlineLevel,
                    prior: PriorFact, in db: any SQLDatabase) async throws {
        let old: DossierFact?
        var fact: DossierFact
        switch prior {
        case .created(let new): (old, fact) = (nil, new)
        case .stored(let stored?): (old, fact) = (stored, stored)
        case .stored(nil):
            // No fact yet (a dossier moved in from another system): the whole history, this event
            // included, makes it, so that what happened before is not lost from the reports.
            if let fact = try await ReportRepository.recomputeFact(dossier.code, calendar: calendar, in: db) {
                try await FactRepository.save(fact, replacing: nil, in: db)
            }
            return
        }
        if let event { fact.record(event) }
        fact.update(from: dossier.state, onlineLevel: onlineLevel, officer: dossier.responsibleOfficer, calendar: calendar)
        try await FactRepository.save(fact, replacing: old, in: db)
    }

    /// The fact of a dossier just created by `event`, before the state is read into it.
    static func newFact(of dossier: StoredDossier, createdBy event: DossierEvent) -> DossierFact {
        var fact = DossierFact(code: dossier.code, agency: dossier.receivingAgency, procedure: dossier.procedureCode)
        fact.record(event)
        return fact
    }

    /// A dossier with a file attached counts as digitised.
    func recordDigitised(_ code: String, in db: any SQLDatabase) async throws {
        guard let old = try await FactRepository.find(code, in: db), !old.digitised else { return }
        var fact = old
        fact.digitised = true
        try await FactRepository.save(fact, replacing: old, in: db)
    }
}
