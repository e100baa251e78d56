import Conformance

/// RULES.md, generated from the catalog (`make rules`); a test keeps the committed file in sync.
public enum RulesDocument {
    public static func markdown() -> String {
        var out = """
        # Rules

        Generated from the catalog (`Sources/Conformance/*/…Chapter.swift`) by `make rules`; do not edit.
        Each rule is checked by a Swift spec against any implementation; rules marked C are also witnessed by a
        cmocka test in `CTests/` whose name starts with the rule id. Optional rules are reported but do not make
        `make conformance` fail. Each sentence is followed by the same rule in Chinese (`--lang zh` prints it).

        """
        for chapter in Catalog.chapters {
            out += "\n## \(chapter.title)\n\n\(chapter.chineseTitle)\n\n"
                + "Course sections: \(chapter.sections.joined(separator: ", ")).\n"
            for concept in chapter.concepts {
                out += "\n### \(concept.id): `\(concept.api)`\n\nMirrors \(markdownEscaped(concept.mirrors)).\n\n"
                out += "| Rule | Sentence | Section | C | Severity |\n|---|---|---|---|---|\n"
                for rule in concept.rules {
                    let sentence = markdownEscaped(rule.sentence) + "<br>" + markdownEscaped(rule.chineseSentence)
                    out += "| \(rule.id) | \(sentence) | \(rule.section) | \(rule.hasCWitness ? "C" : "") | \(rule.severity.rawValue) |\n"
                }
            }
        }
        return out
    }
}
