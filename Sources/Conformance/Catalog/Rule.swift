/// One numbered fact of the specification, e.g. WAIT-2: "a child killed by a signal is reported as
/// signaled with that signal, not as exited".
///
/// Ids never change meaning. Test names, cmocka test names, grade reports and conformance reports all
/// carry the id, so every report can be joined on it.
public struct Rule: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The stable id: the concept's prefix and a number, e.g. `WAIT-2`.
    public let id: String
    /// The chapter's id, e.g. `processes`.
    public let chapter: String
    /// The concept (one protocol and one spec) the rule belongs to, e.g. `wait`.
    public let concept: String
    /// One plain sentence a student can read.
    public let sentence: String
    /// The same sentence in Chinese, in the course's own terms (僵尸进程, 非阻塞IO ...), for the reports
    /// in Chinese (`--lang zh`) and RULES.md. A key added to the JSON beside `sentence`, which keeps its meaning.
    public let chineseSentence: String
    /// The course section it comes from, by its Chinese title in the outline.
    public let section: String
    /// Whether an implementation must pass it to conform.
    public let severity: Severity
    /// Whether a cmocka test in `CTests/` witnesses the same fact on the raw system call. Its function
    /// name starts with the id, `-` written as `_` (`WAIT_2_...`).
    public let hasCWitness: Bool
    /// What the rule is worth in a grade.
    public let points: Int

    /// Required rules make `make conformance` fail; optional ones are reported only.
    public enum Severity: String, Codable, Sendable {
        case required
        case optional
    }

    /// The prefix every cmocka witness of this rule starts with, e.g. `WAIT_2_`.
    public var cWitnessPrefix: String { id.replacingOccurrences(of: "-", with: "_") + "_" }

    public var description: String { "\(id): \(sentence)" }
}
