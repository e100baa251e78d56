import Conformance
import Foundation

/// The main job's report: every rule with its Swift result (the reference implementation) and its
/// C result (the cmocka witness on this kernel).
public struct ConformanceReport {
    /// A witness's result, LTP's result classes: passed, failed, unsupported on this machine (the
    /// environment lacks a feature or privilege, with the reason), broken (the test's own setup
    /// failed, with how), or there is no such witness.
    public enum Result: String, Codable, Sendable {
        case pass, fail, unsupported, broken, none
    }

    /// One rule's line, as `reports/conformance.json` lists it.
    public struct Row: Codable, Sendable {
        public let id: String
        public let chapter: String
        public let concept: String
        public let sentence: String
        /// The sentence in Chinese; nil in a report written before rules had one.
        public let chineseSentence: String?
        public let section: String
        public let severity: Rule.Severity
        public let swift: Result
        public let c: Result
        /// Why the Swift check did not pass.
        public let swiftMessage: String?
        /// Why the C witness did not pass (or is missing).
        public let cMessage: String?
        /// Which branch of an environment-dependent rule held here.
        public let note: String?
        /// Seconds the Swift check took.
        public let seconds: Double
    }

    /// `reports/conformance.json`: where the run happened, then one row per rule.
    public struct Document: Codable, Sendable {
        public let environment: Environment
        public let rules: [Row]
    }

    public let environment: Environment
    public let rows: [Row]

    /// Joins the Swift outcomes and the C results on the rule id.
    public init(rules: [Rule], outcomes: [Outcome], cResults: [CTestResult], environment: Environment = .current()) {
        self.environment = environment
        rows = zip(rules, outcomes).map { rule, outcome in
            let witnesses = cResults.filter { $0.name.hasPrefix(rule.cWitnessPrefix) }
            let c: Result
            let cMessage: String?
            if !rule.hasCWitness {
                (c, cMessage) = (.none, nil)
            } else if witnesses.isEmpty {
                (c, cMessage) = (.none, "no cmocka test named \(rule.cWitnessPrefix)* ran")
            } else if let failed = witnesses.first(where: { !$0.passed && !$0.skipped && !$0.broken }) {
                (c, cMessage) = (.fail, "\(failed.name): \(failed.message ?? "failed")")
            } else if let broken = witnesses.first(where: \.broken) {
                (c, cMessage) = (.broken, "\(broken.name): \(broken.message ?? "broken")")
            } else if let skipped = witnesses.first(where: \.skipped) {
                (c, cMessage) = (.unsupported, "\(skipped.name): \(skipped.message ?? "skipped")")
            } else {
                (c, cMessage) = (.pass, nil)
            }
            let swift: Result = switch outcome.status {
            case .pass: .pass
            case .unsupported: .unsupported
            case .broken: .broken
            case .notImplemented: .none
            case .fail, .timedOut, .crashed: .fail
            }
            return Row(id: rule.id, chapter: rule.chapter, concept: rule.concept, sentence: rule.sentence,
                       chineseSentence: rule.chineseSentence, section: rule.section, severity: rule.severity,
                       swift: swift, c: c,
                       swiftMessage: outcome.status == .pass ? nil : Report.describe(outcome), cMessage: cMessage,
                       note: outcome.note,
                       seconds: outcome.seconds)
        }
    }

    /// A required rule fails conformance when its Swift check or a C witness it should have failed or
    /// is missing; a rule this machine cannot check (unsupported) or whose test could not set itself
    /// up (broken) does not fail it: both are reported with their reasons.
    public func isFailing(_ row: Row) -> Bool {
        guard let rule = Catalog.rule(row.id), rule.severity == .required else { return false }
        let checked: Set<Result> = [.pass, .unsupported, .broken]
        return !checked.contains(row.swift) || (rule.hasCWitness && !checked.contains(row.c))
    }

    /// True when every required rule passes in Swift and in C.
    public var passes: Bool { !rows.contains(where: isFailing) }

    /// The table `make conformance` prints, chapter by chapter, in `language`.
    public func table(width: Int = 100, in language: Language = .en) -> String {
        let say = language.text
        var out = environment.header.map { "\($0)\n" }.joined()
        for chapter in Catalog.chapters {
            let chapterRows = rows.filter { $0.chapter == chapter.id }
            if chapterRows.isEmpty { continue }
            out += "\n" + say("\(chapter.title) (\(chapter.sections.joined(separator: ", ")))",
                              "\(chapter.chineseTitle)（\(chapter.sections.joined(separator: "、"))）") + "\n"
            out += "  \(pad(say("RULE", "规则"), 10)) \(pad("SWIFT", 11)) \(pad("C", 11)) \(say("SENTENCE", "内容"))\n"
            for row in chapterRows {
                let sentence = language == .zh ? row.chineseSentence ?? row.sentence : row.sentence
                let lines = wrap(sentence + (row.severity == .optional ? say(" (optional)", "（可选）") : ""), width: width - 38)
                out += "  \(pad(row.id, 10)) \(pad(Self.label(row.swift, in: language), 11)) "
                    + "\(pad(Self.label(row.c, in: language), 11)) \(lines[0])\n"
                for line in lines.dropFirst() { out += String(repeating: " ", count: 38) + line + "\n" }
                let messages = [row.swiftMessage.map { "swift: \($0)" }, row.cMessage.map { "c: \($0)" },
                                row.note.map { say("note: ", "注：") + $0 }]
                for message in messages.compactMap({ $0 }) {
                    for line in wrap(message, width: width - 38) { out += String(repeating: " ", count: 38) + line + "\n" }
                }
            }
        }
        let swiftPassed = rows.filter { $0.swift == .pass }.count
        let witnessed = rows.filter { $0.c != .none || Catalog.rule($0.id)?.hasCWitness == true }
        let cPassed = witnessed.filter { $0.c == .pass }.count
        let unsupported = rows.filter { $0.swift == .unsupported || $0.c == .unsupported }.map(\.id)
        let broken = rows.filter { $0.swift == .broken || $0.c == .broken }.map(\.id)
        out += "\n" + say("\(rows.count) rules: \(swiftPassed) pass in Swift; \(witnessed.count) with a C witness: \(cPassed) pass in C",
                          "共 \(rows.count) 条规则：Swift 通过 \(swiftPassed) 条；有 C 见证的 \(witnessed.count) 条：C 通过 \(cPassed) 条")
        if !unsupported.isEmpty { out += say("; unsupported here: ", "；本机不支持：") + unsupported.joined(separator: ", ") }
        if !broken.isEmpty { out += say("; broken (the test's own setup failed): ", "；检查出错（测试自身的准备失败）：") + broken.joined(separator: ", ") }
        let failing = rows.filter(isFailing).map(\.id).joined(separator: ", ")
        out += passes ? say(". Conformant.", "。符合规范。") : say(". NOT conformant: \(failing).", "。不符合规范：\(failing)。")
        return out + "\n"
    }

    /// How a result is printed in `language`: `pass`, `fail` ... or 通过, 失败 ...
    public static func label(_ result: Result, in language: Language) -> String {
        switch result {
        case .pass: language.text("pass", zh: "通过")
        case .fail: language.text("fail", zh: "失败")
        case .unsupported: language.text("unsupported", zh: "不支持")
        case .broken: language.text("broken", zh: "检查出错")
        case .none: language.text("none", zh: "无")
        }
    }

    /// `reports/conformance.json`: the environment and the rows.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(environment: environment, rules: rows))
    }

    /// `reports/conformance.xml`: one test case per rule, failing when the rule fails conformance, skipped
    /// (with the reason) when this machine cannot check it.
    public func junit() -> String {
        JUnit(properties: environment.header, suites: Catalog.chapters.map { chapter in
            JUnit.Suite(name: chapter.id, cases: rows.filter { $0.chapter == chapter.id }.map { row in
                let message = [row.swiftMessage.map { "swift: \($0)" }, row.cMessage.map { "c: \($0)" }]
                    .compactMap { $0 }.joined(separator: "\n")
                return JUnit.Case(classname: "\(row.chapter).\(row.concept)", name: "\(row.id): \(row.sentence)",
                                  seconds: row.seconds,
                                  problem: isFailing(row) ? ("failure", "nonconformant", message)
                                      : row.swift == .broken || row.c == .broken ? ("error", "broken", message)
                                      : row.swift == .unsupported || row.c == .unsupported ? ("skipped", "unsupported", message)
                                      : nil)
            })
        }).xml
    }
}

/// `conformance --compare A.json B.json`: the rules whose results differ between two runs, under
/// both environments, and the rules whose result is the same but held by another branch (note).
public struct ConformanceComparison {
    public let a: (name: String, document: ConformanceReport.Document)
    public let b: (name: String, document: ConformanceReport.Document)

    public init(_ a: (name: String, document: ConformanceReport.Document), _ b: (name: String, document: ConformanceReport.Document)) {
        self.a = a
        self.b = b
    }

    /// The ids of the rules whose Swift or C result differs, or that only one run checked.
    public var differing: [String] {
        let rowsOfB = Dictionary(b.document.rules.map { ($0.id, $0) }) { first, _ in first }
        let idsOfA = Set(a.document.rules.map(\.id))
        return a.document.rules.filter { row in rowsOfB[row.id].map { result($0) != result(row) } ?? true }.map(\.id)
            + b.document.rules.map(\.id).filter { !idsOfA.contains($0) }
    }

    private func result(_ row: ConformanceReport.Row) -> String { "\(row.swift.rawValue)/\(row.c.rawValue)" }

    /// The text `--compare` prints.
    public func text(width: Int = 100) -> String {
        var out = ""
        for (label, run) in [("A", a), ("B", b)] {
            out += "\(label): \(run.name)\n" + run.document.environment.header.map { "   \($0)\n" }.joined()
        }
        let rowsOfA = Dictionary(a.document.rules.map { ($0.id, $0) }) { first, _ in first }
        let rowsOfB = Dictionary(b.document.rules.map { ($0.id, $0) }) { first, _ in first }
        let differing = differing
        out += "\nResults that differ (swift/c):\n"
        out += "  \(pad("RULE", 10)) \(pad("A", 24)) B\n"
        for id in differing {
            out += "  \(pad(id, 10)) \(pad(rowsOfA[id].map(result) ?? "not checked", 24)) \(rowsOfB[id].map(result) ?? "not checked")\n"
            for (label, row) in [("A", rowsOfA[id]), ("B", rowsOfB[id])] {
                guard let row else { continue }
                let why = [row.swiftMessage.map { "swift: \($0)" }, row.cMessage.map { "c: \($0)" }, row.note.map { "note: \($0)" }]
                for line in why.compactMap({ $0 }) {
                    for wrapped in wrap("\(label) \(line)", width: width - 13) { out += String(repeating: " ", count: 13) + wrapped + "\n" }
                }
            }
        }
        if differing.isEmpty { out += "  none\n" }
        let branches = a.document.rules.filter { row in
            guard let other = rowsOfB[row.id] else { return false }
            return result(other) == result(row) && other.note != row.note
        }
        if !branches.isEmpty {
            out += "\nSame result, another branch held:\n"
            for row in branches {
                out += "  \(pad(row.id, 10)) A: \(row.note ?? "no note")\n  \(pad("", 10)) B: \(rowsOfB[row.id]?.note ?? "no note")\n"
            }
        }
        out += "\n\(differing.count) of \(Set(rowsOfA.keys).union(rowsOfB.keys).count) rules differ.\n"
        return out
    }
}
