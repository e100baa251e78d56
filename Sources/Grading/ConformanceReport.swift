import Conformance
import Foundation

/// The main job's report: every rule with its Swift result (the reference implementation) and its
/// C result (the cmocka witness on this kernel).
public struct ConformanceReport {
    /// A witness's result: passed, failed, unsupported on this machine (with its reason), or there
    /// is no such witness.
    public enum Result: String, Codable, Sendable {
        case pass, fail, unsupported, none
    }

    /// One rule's line, as `reports/conformance.json` lists it.
    public struct Row: Codable, Sendable {
        public let id: String
        public let chapter: String
        public let concept: String
        public let sentence: String
        public let section: String
        public let severity: Rule.Severity
        public let swift: Result
        public let c: Result
        /// Why the Swift check did not pass.
        public let swiftMessage: String?
        /// Why the C witness did not pass (or is missing).
        public let cMessage: String?
        /// Seconds the Swift check took.
        public let seconds: Double
    }

    public let rows: [Row]

    /// Joins the Swift outcomes and the C results on the rule id.
    public init(rules: [Rule], outcomes: [Outcome], cResults: [CTestResult]) {
        rows = zip(rules, outcomes).map { rule, outcome in
            let witnesses = cResults.filter { $0.name.hasPrefix(rule.cWitnessPrefix) }
            let c: Result
            let cMessage: String?
            if !rule.hasCWitness {
                (c, cMessage) = (.none, nil)
            } else if witnesses.isEmpty {
                (c, cMessage) = (.none, "no cmocka test named \(rule.cWitnessPrefix)* ran")
            } else if let failed = witnesses.first(where: { !$0.passed && !$0.skipped }) {
                (c, cMessage) = (.fail, "\(failed.name): \(failed.message ?? "failed")")
            } else if let skipped = witnesses.first(where: \.skipped) {
                (c, cMessage) = (.unsupported, "\(skipped.name): \(skipped.message ?? "skipped")")
            } else {
                (c, cMessage) = (.pass, nil)
            }
            let swift: Result = switch outcome.status {
            case .pass: .pass
            case .unsupported: .unsupported
            case .notImplemented: .none
            case .fail, .timedOut, .crashed: .fail
            }
            return Row(id: rule.id, chapter: rule.chapter, concept: rule.concept, sentence: rule.sentence,
                       section: rule.section, severity: rule.severity, swift: swift, c: c,
                       swiftMessage: outcome.status == .pass ? nil : Report.describe(outcome), cMessage: cMessage,
                       seconds: outcome.seconds)
        }
    }

    /// A required rule fails conformance when its Swift check or a C witness it should have did not
    /// pass; a rule this machine cannot check (unsupported) does not fail it.
    public func isFailing(_ row: Row) -> Bool {
        guard let rule = Catalog.rule(row.id), rule.severity == .required else { return false }
        let checked: Set<Result> = [.pass, .unsupported]
        return !checked.contains(row.swift) || (rule.hasCWitness && !checked.contains(row.c))
    }

    /// True when every required rule passes in Swift and in C.
    public var passes: Bool { !rows.contains(where: isFailing) }

    /// The table `make conformance` prints, chapter by chapter.
    public func table(width: Int = 100) -> String {
        var out = ""
        for chapter in Catalog.chapters {
            let chapterRows = rows.filter { $0.chapter == chapter.id }
            if chapterRows.isEmpty { continue }
            out += "\n\(chapter.title) (\(chapter.sections.joined(separator: ", ")))\n"
            out += "  \(pad("RULE", 10)) \(pad("SWIFT", 11)) \(pad("C", 11)) SENTENCE\n"
            for row in chapterRows {
                let lines = wrap(row.sentence + (row.severity == .optional ? " (optional)" : ""), width: width - 38)
                out += "  \(pad(row.id, 10)) \(pad(row.swift.rawValue, 11)) \(pad(row.c.rawValue, 11)) \(lines[0])\n"
                for line in lines.dropFirst() { out += String(repeating: " ", count: 38) + line + "\n" }
                for message in [row.swiftMessage.map { "swift: \($0)" }, row.cMessage.map { "c: \($0)" }].compactMap({ $0 }) {
                    for line in wrap(message, width: width - 38) { out += String(repeating: " ", count: 38) + line + "\n" }
                }
            }
        }
        let swiftPassed = rows.filter { $0.swift == .pass }.count
        let witnessed = rows.filter { $0.c != .none || Catalog.rule($0.id)?.hasCWitness == true }
        let cPassed = witnessed.filter { $0.c == .pass }.count
        let unsupported = rows.filter { $0.swift == .unsupported || $0.c == .unsupported }.map(\.id)
        out += "\n\(rows.count) rules: \(swiftPassed) pass in Swift; \(witnessed.count) with a C witness: \(cPassed) pass in C"
        if !unsupported.isEmpty { out += "; unsupported here: \(unsupported.joined(separator: ", "))" }
        out += passes ? ". Conformant.\n" : ". NOT conformant: \(rows.filter(isFailing).map(\.id).joined(separator: ", ")).\n"
        return out
    }

    /// `reports/conformance.json`: the rows as a JSON list.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(rows)
    }

    /// `reports/conformance.xml`: one test case per rule, failing when the rule fails conformance, skipped
    /// (with the reason) when this machine cannot check it.
    public func junit() -> String {
        JUnit(suites: Catalog.chapters.map { chapter in
            JUnit.Suite(name: chapter.id, cases: rows.filter { $0.chapter == chapter.id }.map { row in
                let message = [row.swiftMessage.map { "swift: \($0)" }, row.cMessage.map { "c: \($0)" }]
                    .compactMap { $0 }.joined(separator: "\n")
                return JUnit.Case(classname: "\(row.chapter).\(row.concept)", name: "\(row.id): \(row.sentence)",
                                  seconds: row.seconds,
                                  problem: isFailing(row) ? ("failure", "nonconformant", message)
                                      : row.swift == .unsupported || row.c == .unsupported ? ("skipped", "unsupported", message)
                                      : nil)
            })
        }).xml
    }
}
