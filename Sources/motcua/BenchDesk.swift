import Foundation
import MotCuaCore
import MotCuaServer
import MotCuaStore

/// The people of the HTTP write benchmarks on a synthetic province: at each of `desks` commune
/// People's Committees a citizen, an intake officer and a leader, signed in with bearer tokens;
/// and one commune procedure taken online and at the counter whose steps all stay at the
/// receiving agency (so the same officers can take a dossier from acceptance to its result).
struct BenchDesk: Sendable {
    var agencies: [String]
    var procedure: String
    var steps: Int
    var citizens: [String]
    var intake: [String]
    var leaders: [String]

    static func prepare(_ environment: AppEnvironment, desks: Int) async throws -> BenchDesk {
        let now = Date()
        let offers = try await SyntheticProvince(dossiers: 0, from: now, now: now)
            .prepareWithoutDossiers(environment.database, logger: Bench.quietLogger)
        guard let offer = offers.filter({ offer in
            offer.procedure.level == .commune && offer.procedure.channels.contains(.online) && offer.procedure.channels.contains(.counter)
                && offer.process.steps.allSatisfy { $0.agency == nil } && (try? offer.procedure.feesDue(choices: [:])) != nil
                && offer.agencies.count >= desks
        }).max(by: { ($0.process.steps.count, $1.procedure.code) < ($1.process.steps.count, $0.procedure.code) })
        else { throw UsageError("bench: no commune procedure taken online and at the counter at \(desks) communes") }
        let administrator = Account(id: "bench", username: "bench", fullName: "Bench", role: .systemAdmin)
        let agencies = Array(offer.agencies.prefix(desks))
        var desk = BenchDesk(agencies: agencies, procedure: offer.procedure.code, steps: offer.process.steps.count,
                             citizens: [], intake: [], leaders: [])
        for (index, agency) in agencies.enumerated() {
            func token(_ name: String, _ role: DossierRole, citizenId: String? = nil) async throws -> String {
                let password = "Bench@2026-\(name)"
                _ = try await environment.accounts.register(
                    AccountDraft(username: name, password: password, fullName: "Người đo hiệu năng \(index)", role: role,
                                 agencies: role == .citizen ? [] : [agency], citizenId: citizenId),
                    by: administrator)
                return try await environment.accounts.signIn(username: name, password: password, kind: .bearer).token
            }
            desk.citizens.append(try await token("bench.citizen\(index)", .citizen, citizenId: "00119001" + String(format: "%04d", index)))
            desk.intake.append(try await token("bench.intake\(index)", .intakeOfficer))
            desk.leaders.append(try await token("bench.leader\(index)", .leader))
        }
        return desk
    }

    /// The JSON body of a submission at desk `index`: online by its citizen, or at the counter
    /// (submitted and accepted at once) by its intake officer.
    func application(_ index: Int, counter: Bool) -> String {
        """
        {"procedureCode":"\(procedure)","channel":"\(counter ? "counter" : "online")","receivingAgency":"\(agencies[index])",\
        "acceptNow":\(counter),"applicant":{"kind":"person","fullName":"Nguyễn Văn Đo","citizenId":"001190012345","phone":"0912345678"}}
        """
    }

    /// The commands taking a submitted dossier to its returned result, with who gives each.
    var life: [(verb: String, leader: Bool)] {
        [("accept", false)] + Array(repeating: ("forward", false), count: steps - 1)
            + [("approve", true), ("mark-result-ready", false), ("return-result", false)]
    }

    /// A new dossier's code, from its body (`JSONSerialization` cost the load generator a tenth of its CPU).
    static func dossierCode(in body: String) -> String? { CreatedDossier.code(in: body) }
}
