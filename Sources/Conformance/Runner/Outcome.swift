/// The result of checking one rule against one implementation, as a runner prints it (one JSON
/// object) and as reports carry it.
public struct Outcome: Codable, Sendable, Equatable {
    /// The seven results a rule can have.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The rule holds.
        case pass
        /// The rule does not hold; `message` says how.
        case fail
        /// The environment lacks a feature or privilege the rule needs (the check threw `Unsupported`);
        /// `message` says which. Neither a pass nor a fail.
        case unsupported
        /// The check's own setup failed (`message` says how), so it says nothing about the rule.
        case broken
        /// The implementation called `notImplemented()` or declares no spec for the concept.
        case notImplemented
        /// The check did not finish within the time limit.
        case timedOut
        /// The process running the check died (a trap, a signal, an unexpected exit).
        case crashed
    }

    public var rule: String
    public var status: Status
    /// What went wrong, in a sentence.
    public var message: String?
    /// The expected value, when the check compared two.
    public var expected: String?
    /// The actual value, when the check compared two.
    public var actual: String?
    /// Which branch of an environment-dependent rule held here (`note(_:)`), e.g. "checked as user 65534".
    public var note: String?
    /// The last part of what the check process printed on stdout and stderr.
    public var output: String?
    /// Descriptors the check process had open at the end and not at the start.
    public var leakedDescriptors: [CInt] = []
    /// Children the check process left unreaped when it finished.
    public var unreapedChildren: Int = 0
    /// Descendants still running after the check ended; the sandbox killed them.
    public var killedLeftovers: Int = 0
    /// Wall-clock time of the check.
    public var seconds: Double = 0

    public init(rule: String, status: Status, message: String? = nil, expected: String? = nil,
                actual: String? = nil) {
        self.rule = rule
        self.status = status
        self.message = message
        self.expected = expected
        self.actual = actual
    }

    /// Whether the check left nothing behind: no descriptor, no child, no running descendant.
    public var isClean: Bool { leakedDescriptors.isEmpty && unreapedChildren == 0 && killedLeftovers == 0 }
}
