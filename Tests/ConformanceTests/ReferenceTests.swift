import Conformance
import Grading
import Testing

/// The reference implementation conforms: every rule passes, each in its own sandboxed runner, and
/// leaves no descriptor open, no child unreaped and no process running.
@Test(arguments: Catalog.rules)
func referencePasses(_ rule: Rule) {
    let outcome = Supervisor.check(rule.id, with: .sibling("reference-runner"))
    #expect(outcome.status == .pass, "\(Report.label(outcome.status)): \(Report.describe(outcome))\n\(outcome.output ?? "")")
    #expect(outcome.isClean, """
        left behind: descriptors \(outcome.leakedDescriptors), unreaped children \(outcome.unreapedChildren), \
        killed \(outcome.killedLeftovers)
        """)
}
