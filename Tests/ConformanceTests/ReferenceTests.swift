import Conformance
import Foundation
import Grading
import Testing

/// The rules the reference is checked on: every rule, or those $SPEC_RULES selects, as the command
/// line does (`make tsan` selects the threads chapter).
let referenceRules: [Rule] = {
    let selectors = ProcessInfo.processInfo.environment["SPEC_RULES"].map { $0.split(separator: " ").map(String.init) } ?? []
    do {
        return try Catalog.select(selectors)
    } catch {
        fatalError("SPEC_RULES: \(error)")
    }
}()

/// The reference implementation conforms: every rule passes (or, where this machine cannot check it,
/// is unsupported, shown as a known issue), each in its own sandboxed runner, and leaves no
/// descriptor open, no child unreaped and no process running.
@Test(arguments: referenceRules)
func referencePasses(_ rule: Rule) {
    let outcome = Supervisor.check(rule.id, with: .sibling("reference-runner"))
    if outcome.status == .unsupported {
        withKnownIssue("unsupported on this machine: \(Report.describe(outcome))") { Issue.record("\(rule.id) unsupported") }
    } else {
        #expect(outcome.status == .pass, "\(Report.label(outcome.status)): \(Report.describe(outcome))\n\(outcome.output ?? "")")
    }
    #expect(outcome.isClean, """
        left behind: descriptors \(outcome.leakedDescriptors), unreaped children \(outcome.unreapedChildren), \
        killed \(outcome.killedLeftovers)
        """)
}
