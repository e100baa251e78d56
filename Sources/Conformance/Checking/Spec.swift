/// A concept's spec bound to one implementation: the checks of every rule of the concept.
///
/// A runner declares one spec per concept it implements, e.g. `WaitSpec(Wait())`.
public protocol Spec {
    /// The concept's id in the catalog, e.g. `wait`.
    static var concept: String { get }
    /// One check per rule of the concept; a test keeps this in step with the catalog.
    var checks: [Check] { get }
}

/// The check of one rule: code that returns when the rule holds and throws `CheckFailure` when not.
///
/// A check runs in a process of its own (see `RuleRunner`), so it may fork, change signal
/// dispositions, become a subreaper or drop privileges without disturbing anything else.
public struct Check {
    /// The rule it checks, e.g. `WAIT-2`.
    public let rule: String
    let body: () throws -> Void

    public init(_ rule: String, _ body: @escaping () throws -> Void) {
        self.rule = rule
        self.body = body
    }
}
