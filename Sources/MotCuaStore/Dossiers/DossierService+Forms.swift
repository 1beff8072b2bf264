import Foundation
import MotCuaCore
import SQLKit

extension DossierService {
    /// A form of a dossier the viewer may see, as printable HTML, drawn from the stored state and
    /// history (the control slip from the whole history).
    public func form(_ kind: FormKind, of code: String, by viewer: Viewer) async throws -> String {
        let dossier = try await view(code, by: viewer)
        let events = try await DossierRepository(database: database).events(code)
        let input = try await database.withConnection { db -> FormInput in
            let procedure = try await CatalogueRepository.find(dossier.procedureCode, in: db)
            let agencyCodes = Set([dossier.receivingAgency] + events.compactMap { $0.data["agency"] })
            var agencyNames: [String: String] = [:]
            for agency in agencyCodes {
                agencyNames[agency] = try await AgencyRepository.find(agency, in: db)?.agency.name
            }
            let actorIds = Array(Set(events.map(\.actor.id))).sorted()
            let names = try await db.select().columns("id", "full_name").from("accounts").where("id", .in, actorIds).all()
            var actorNames: [String: String] = [:]
            for row in names { actorNames[try row.decode(column: "id", as: String.self)] = try row.decode(column: "full_name", as: String.self) }
            return FormInput(code: code, procedureName: procedure?.document.procedure.name ?? dossier.procedureCode,
                             applicant: dossier.applicant, state: dossier.state, events: events,
                             documents: try await DocumentRepository.list(code, in: db).map(\.label),
                             agencyNames: agencyNames, actorNames: actorNames, receivingAgency: dossier.receivingAgency)
        }
        return try FormRenderer.render(kind, input)
    }
}
