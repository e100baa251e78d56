import Conformance
import Foundation

/// A graded implementation: every selected rule with its outcome and points, per chapter and in total.
public struct GradeReport {
    /// One rule's grade.
    public struct Line: Sendable {
        public let rule: Rule
        public let outcome: Outcome

        /// Full points for a pass, none otherwise.
        public var points: Int { outcome.status == .pass ? rule.points : 0 }
        /// What the rule is worth here: nothing when this machine cannot check it (unsupported).
        public var maxPoints: Int { outcome.status == .unsupported ? 0 : rule.points }
    }

    public let lines: [Line]
    /// A problem that concerns the whole submission (it did not compile), shown above the table.
    public let problem: String?
    /// The ids of the rules whose results the student does not see (Gradescope's "hidden").
    public let hidden: Set<String>

    public init(rules: [Rule], outcomes: [Outcome], problem: String? = nil, hidden: Set<String> = []) {
        lines = zip(rules, outcomes).map(Line.init)
        self.problem = problem
        self.hidden = hidden
    }

    /// Points earned and possible in each chapter graded, in course order.
    public var chapterScores: [(chapter: String, score: Int, maxScore: Int)] {
        Catalog.chapters.compactMap { chapter in
            let chapterLines = lines.filter { $0.rule.chapter == chapter.id }
            if chapterLines.isEmpty { return nil }
            return (chapter.id, chapterLines.map(\.points).reduce(0, +), chapterLines.map(\.maxPoints).reduce(0, +))
        }
    }

    public var score: Int { lines.map(\.points).reduce(0, +) }
    public var maxScore: Int { lines.map(\.maxPoints).reduce(0, +) }

    /// The table `make grade` prints in `language`: per chapter, each rule's status and points, and the failure
    /// (as the check wrote it).
    public func table(width: Int = 100, in language: Language = .en) -> String {
        var out = problem.map { "\($0)\n" } ?? ""
        for chapter in Catalog.chapters {
            let chapterLines = lines.filter { $0.rule.chapter == chapter.id }
            if chapterLines.isEmpty { continue }
            let score = chapterLines.map(\.points).reduce(0, +)
            let max = chapterLines.map(\.maxPoints).reduce(0, +)
            out += "\n" + language.text("\(chapter.title): \(score)/\(max)", zh: "\(chapter.chineseTitle)（\(score)/\(max) 分）") + "\n"
            for line in chapterLines {
                let status = Report.label(line.outcome.status, in: language)
                let sentence = wrap(line.rule.sentence(in: language), width: width - 36)
                out += "  \(pad(line.rule.id, 10)) \(pad(status, 16)) \(pad("\(line.points)/\(line.maxPoints)", 6)) \(sentence[0])\n"
                for rest in sentence.dropFirst() { out += String(repeating: " ", count: 36) + rest + "\n" }
                if line.outcome.status != .pass {
                    for rest in wrap(Report.describe(line.outcome), width: width - 36) {
                        out += String(repeating: " ", count: 36) + "> " + rest + "\n"
                    }
                }
            }
        }
        let counts = Outcome.Status.allCases.compactMap { status -> String? in
            let count = lines.filter { $0.outcome.status == status }.count
            if count == 0 { return nil }
            return language.text("\(count) \(Report.label(status))", zh: "\(Report.label(status, in: .zh)) \(count) 条")
        }
        out += language.text("\nTotal: \(score)/\(maxScore) (\(counts.joined(separator: ", ")))\n",
                             zh: "\n总分：\(score)/\(maxScore)（\(counts.joined(separator: "，"))）\n")
        return out
    }

    /// `reports/results.json` in Gradescope's format: one test per rule, `score` at the top level; a
    /// hidden rule's test has the visibility "hidden", and the top-level `output` counts only the
    /// points of the rules shown (the top-level `score` is the grade, so it counts them all).
    public func gradescope() throws -> Data {
        struct Test: Encodable {
            let score: Int
            let max_score: Int
            let name: String
            let number: String
            let status: String
            let output: String
            let visibility: String
            let tags: [String]
        }
        struct Results: Encodable {
            let score: Int
            let output: String
            let visibility: String
            let tests: [Test]
        }
        let tests = lines.map { line in
            Test(score: line.points, max_score: line.maxPoints, name: "\(line.rule.id): \(line.rule.sentence)",
                 number: line.rule.id, status: line.outcome.status == .pass ? "passed" : "failed",
                 output: line.outcome.status == .pass ? "pass" : Report.describe(line.outcome) + outputTail(line.outcome),
                 visibility: hidden.contains(line.rule.id) ? "hidden" : "visible", tags: [line.rule.chapter, line.rule.concept, Report.label(line.outcome.status)])
        }
        // The text students read counts only the rules they see; `score`, the grade, counts every rule.
        let shown = lines.filter { !hidden.contains($0.rule.id) }
        let points = hidden.isEmpty ? "\(score)/\(maxScore) points"
            : "\(shown.map(\.points).reduce(0, +))/\(shown.map(\.maxPoints).reduce(0, +)) points on the rules shown"
        let summary = (problem.map { $0 + "\n" } ?? "") + points
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Results(score: score, output: summary, visibility: "visible", tests: tests))
    }

    /// `reports/grade.xml`: one test case per rule; a rule that does not hold is a failure, one that
    /// could not be checked (timed out, crashed, broken) an error, an unsupported one skipped.
    public func junit() -> String {
        JUnit(suites: Catalog.chapters.compactMap { chapter in
            let chapterLines = lines.filter { $0.rule.chapter == chapter.id }
            if chapterLines.isEmpty { return nil }
            return JUnit.Suite(name: chapter.id, cases: chapterLines.map { line in
                let element: String? = switch line.outcome.status {
                case .pass: nil
                case .unsupported: "skipped"
                case .fail, .notImplemented: "failure"
                case .timedOut, .crashed, .broken: "error"
                }
                return JUnit.Case(classname: "\(line.rule.chapter).\(line.rule.concept)",
                                  name: "\(line.rule.id): \(line.rule.sentence)", seconds: line.outcome.seconds,
                                  problem: element.map { ($0, Report.label(line.outcome.status), Report.describe(line.outcome)) })
            })
        }).xml
    }

    private func outputTail(_ outcome: Outcome) -> String {
        guard let output = outcome.output, !output.isEmpty else { return "" }
        return "\n--- output ---\n" + String(output.suffix(2000))
    }
}

/// Wording shared by the reports.
public enum Report {
    /// How a status is printed: `pass`, `fail`, `unsupported`, `broken`, `not implemented`, `timed out`,
    /// `crashed`; in Chinese 通过, 失败, 不支持, 检查出错, 未实现, 超时, 崩溃. The JSON and XML reports use English.
    public static func label(_ status: Outcome.Status, in language: Language = .en) -> String {
        switch status {
        case .pass: language.text("pass", zh: "通过")
        case .fail: language.text("fail", zh: "失败")
        case .unsupported: language.text("unsupported", zh: "不支持")
        case .broken: language.text("broken", zh: "检查出错")
        case .notImplemented: language.text("not implemented", zh: "未实现")
        case .timedOut: language.text("timed out", zh: "超时")
        case .crashed: language.text("crashed", zh: "崩溃")
        }
    }

    /// One sentence on an outcome: the message, with expected and actual values when there are two.
    public static func describe(_ outcome: Outcome) -> String {
        var text = outcome.message ?? label(outcome.status)
        if let expected = outcome.expected, let actual = outcome.actual {
            text += ": expected \(expected), got \(actual)"
        }
        return text
    }
}
