import Conformance
import Foundation
import Grading
import Testing

/// One mutant and one rule that must reject it.
struct MutantCase: Sendable, CustomTestStringConvertible {
    let mutant: String
    let rule: String
    let expected: Outcome.Status
    /// The limit when it is expected to time out, if not the usual 2 s.
    let timeLimit: Double?

    var testDescription: String { "\(rule) rejects \(mutant)" }

    /// Every (mutant, rule) pair the mutant runner lists.
    static let all: [MutantCase] = {
        struct Listing: Decodable {
            let name: String
            let rejectedBy: [String: Outcome.Status]
            let timeLimit: Double?
        }
        guard let listed = try? Repository.run("mutant-runner", ["--mutants"]),
              let mutants = try? JSONDecoder().decode([Listing].self, from: Data(listed.stdout.utf8))
        else { return [] }
        return mutants.flatMap { mutant in
            mutant.rejectedBy.sorted { $0.key < $1.key }.map {
                MutantCase(mutant: mutant.name, rule: $0.key, expected: $0.value, timeLimit: mutant.timeLimit)
            }
        }
    }()
}

/// No rule is vacuous: each known-wrong implementation in Fixtures/Mutants is rejected by the rules it
/// names, with the status it names (a mutant that hangs is reported as timed out).
@Test(arguments: MutantCase.all)
func mutantIsRejected(_ mutantCase: MutantCase) {
    // A mutant expected to hang is given a short limit (longer where the rule's correct run takes
    // seconds); the others the usual one.
    let timeout = mutantCase.expected == .timedOut ? mutantCase.timeLimit ?? 2 : RuleRunner.defaultTimeout
    let outcome = Supervisor.check(mutantCase.rule, with: .sibling("mutant-runner", ["--mutant", mutantCase.mutant]),
                                   timeout: timeout)
    if outcome.status == .unsupported {  // e.g. STATE-7 where nice values cannot be lowered
        withKnownIssue("unsupported on this machine: \(Report.describe(outcome))") { Issue.record("\(mutantCase.rule) unsupported") }
        return
    }
    #expect(outcome.status == mutantCase.expected, "\(Report.label(outcome.status)): \(Report.describe(outcome))")
}

/// Verify that every catalogued rule rejects at least one mutant, and that mutants name only catalogued rules.
@Test func everyRuleRejectsAMutant() {
    let rejecting = Set(MutantCase.all.map(\.rule))
    #expect(!MutantCase.all.isEmpty, "the mutant runner listed no mutants")
    for rule in Catalog.rules {
        #expect(rejecting.contains(rule.id), "\(rule.id) has no mutant")
    }
    #expect(rejecting.isSubset(of: Set(Catalog.rules.map(\.id))))
}
