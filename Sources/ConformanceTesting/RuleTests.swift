@_exported import Conformance
import Grading
import Testing

extension Rule: CustomTestStringConvertible {
    /// How `swift test` names a rule's test case: `WAIT-2: A child killed by a signal ...`.
    public var testDescription: String { "\(id): \(sentence)" }
}

/// Checks `rule` with the runner executable built next to the test bundle, and records an issue
/// unless it passes: the failure message with expected and actual values, or "not implemented",
/// "timed out", "crashed", and what the check printed. A rule this machine cannot check (unsupported)
/// is recorded as a known issue with its reason.
///
/// A student's test file declares one test over every rule:
///
/// ```swift
/// @Test(arguments: Catalog.rules)
/// func rule(_ rule: Rule) { expectRule(rule) }
/// ```
public func expectRule(_ rule: Rule, runner: String = "conformance-runner", arguments: [String] = [],
                       timeout: Double = RuleRunner.defaultTimeout,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    let outcome = Supervisor.check(rule.id, with: .sibling(runner, arguments), timeout: timeout)
    guard outcome.status != .pass else { return }
    if outcome.status == .unsupported {
        // Neither a pass nor a failure: shown in the test output as a known issue with its reason.
        withKnownIssue("\(rule.id) is unsupported here: \(Report.describe(outcome))", sourceLocation: sourceLocation) {
            Issue.record(Comment(rawValue: Report.describe(outcome)), sourceLocation: sourceLocation)
        }
        return
    }
    let label = Report.label(outcome.status)
    let description = Report.describe(outcome)
    var text = description.hasPrefix(label) ? description : "\(label): \(description)"
    if let output = outcome.output, !output.isEmpty { text += "\n--- output ---\n\(output)" }
    Issue.record(Comment(rawValue: text), sourceLocation: sourceLocation)
}
