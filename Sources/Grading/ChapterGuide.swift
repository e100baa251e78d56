import Conformance
import Foundation

/// The guide of one chapter, for the student working through it (`make guides` writes one per
/// chapter into Guides/; a test keeps the committed files in sync): the course sections it follows,
/// what to implement and where, the course's Python beside the Swift, every rule in order, and how
/// to grade just this chapter; each rule in English and in Chinese. Generated from the catalog, the skeletons in Exercises/ and the C
/// witnesses in CTests/, so it cannot drift from them.
public struct ChapterGuide {
    let chapter: Chapter
    /// The repository's root, where Exercises/ and CTests/ are read.
    let root: URL

    public init(_ chapter: Chapter, root: URL) {
        self.chapter = chapter
        self.root = root
    }

    /// The file name of the guide in Guides/.
    public var fileName: String { "\(chapter.id).md" }

    public func markdown() throws -> String {
        let skeletons = try Self.skeletons(in: root)
        let witnesses = try Self.witnessFiles(in: root)
        let first = chapter.rules.first!.id, last = chapter.rules.last!.id
        var out = """
        # \(chapter.title)

        \(chapter.chineseTitle)

        Generated from the catalog by `make guides`; do not edit. [All chapters](README.md)

        Course sections: \(chapter.sections.joined(separator: ", ")). \(chapter.rules.count) rules, \(first) … \(last).

        ## What you implement

        Each concept is one Swift protocol. Its skeleton in `Exercises/Sources/Solutions/` compiles and reports
        "not implemented" until you replace each `notImplemented()` with your code; a concept left as it is is
        graded "not implemented", never as a crash.

        | Concept | Protocol | Mirrors (Python) | Your file | Rules |
        |---|---|---|---|---|

        """
        for concept in chapter.concepts {
            let file = skeletons[concept.api].map { "[`\($0)`](../\($0))" } ?? "(none yet)"
            out += "| \(concept.id) | `\(concept.api)` | \(markdownEscaped(concept.mirrors)) | \(file) | \(span(concept.rules)) |\n"
        }
        let rows = SideBySide.rows(of: chapter.id)
        if !rows.isEmpty {
            out += "\n## Python and Swift, side by side\n\n| Python (the course) | Swift | Notes |\n|---|---|---|\n"
            for row in rows { out += "| \(row.python) | \(row.swift) | \(row.notes) |\n" }
        }
        out += "\n## The rules, in order\n"
        for concept in chapter.concepts {
            out += "\n### \(concept.id): `\(concept.api)`\n\n"
            for rule in concept.rules {
                var notes = [rule.section]
                if rule.hasCWitness {
                    notes.append(witnesses[rule.cWitnessPrefix].map { "C witness in [`\($0)`](../\($0))" } ?? "C witness")
                }
                if rule.severity == .optional { notes.append("optional: reported, never failing a run") }
                out += "- **\(rule.id)** \(markdownEscaped(rule.sentence)) *(\(notes.joined(separator: "; ")))*\n  "
                    + markdownEscaped(rule.chineseSentence) + "\n"
            }
        }
        let witnessed = chapter.rules.contains(where: \.hasCWitness) ? " and the C witnesses" : ""
        let commands = [
            ("make grade RULES=\(chapter.id)", "your Exercises package, each rule in a sandbox: points and failure messages"),
            ("make grade RULES=\(chapter.concepts[0].id)", "one concept; also one rule (\(first)) or a prefix (\(prefix(first))*)"),
            ("make conformance RULES=\(chapter.id)", "the reference implementation\(witnessed) on this kernel"),
        ]
        let width = commands.map(\.0.count).max()! + 2
        out += "\n## Grading just this chapter\n\n```sh\n"
        for (command, comment) in commands {
            out += command + String(repeating: " ", count: width - command.count) + "# \(comment)\n"
        }
        return out + "```\n"
    }

    /// Guides/README.md: every chapter with its guide, sections and number of rules.
    public static func index() -> String {
        var out = """
        # Chapter guides

        Generated from the catalog by `make guides`; do not edit. One guide per chapter of the course, in course
        order: what to implement, the course's Python beside the Swift, the rules, and how to grade the chapter alone.
        Every rule in one file: [RULES.md](../RULES.md).

        | Chapter | Course sections | Rules |
        |---|---|---|

        """
        for chapter in Catalog.chapters {
            out += "| [\(chapter.title)](\(chapter.id).md) (\(chapter.chineseTitle)) | \(chapter.sections.joined(separator: ", ")) | \(chapter.rules.count) |\n"
        }
        return out
    }

    /// The skeleton file declaring a type that conforms to each protocol, by protocol name
    /// (`WaitAPI` -> Exercises/Sources/Solutions/Wait.swift).
    static func skeletons(in root: URL) throws -> [String: String] {
        let folder = "Exercises/Sources/Solutions"
        var found: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).sorted()
        where name.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
            for concept in Catalog.chapters.flatMap(\.concepts) where found[concept.api] == nil {
                if text.contains(": \(concept.api) {") || text.contains(": \(concept.api),") { found[concept.api] = "\(folder)/\(name)" }
            }
        }
        return found
    }

    /// The C file holding each rule's witness, by the witness prefix (`WAIT_2_` -> CTests/processes.c).
    static func witnessFiles(in root: URL) throws -> [String: String] {
        var found: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("CTests").path).sorted()
        where name.hasSuffix(".c") {
            let text = try String(contentsOf: root.appendingPathComponent("CTests/\(name)"), encoding: .utf8)
            for rule in Catalog.rules where rule.hasCWitness && found[rule.cWitnessPrefix] == nil {
                if text.contains("void \(rule.cWitnessPrefix)") { found[rule.cWitnessPrefix] = "CTests/\(name)" }
            }
        }
        return found
    }

    /// A concept's rules as "WAIT-1 … WAIT-10 (10)".
    private func span(_ rules: [Rule]) -> String {
        rules.count == 1 ? rules[0].id : "\(rules.first!.id) … \(rules.last!.id) (\(rules.count))"
    }

    private func prefix(_ id: String) -> String { String(id.prefix { $0 != "-" }) + "-" }
}
