/// A chapter of the course: its concepts, each with the rules its spec checks.
public struct Chapter: Sendable {
    /// A short id used on the command line, e.g. `processes`.
    public let id: String
    /// The English title.
    public let title: String
    /// The same title in Chinese, in the course's terms.
    public let chineseTitle: String
    /// The course sections it follows, by their Chinese titles.
    public let sections: [String]
    /// The concepts, in teaching order.
    public let concepts: [Concept]

    /// Every rule of the chapter, in order.
    public var rules: [Rule] { concepts.flatMap(\.rules) }

    public init(id: String, title: String, chineseTitle: String, sections: [String], concepts: [Concept.Draft]) {
        self.id = id
        self.title = title
        self.chineseTitle = chineseTitle
        self.sections = sections
        self.concepts = concepts.map { $0.concept(inChapter: id) }
    }
}

/// One protocol a student implements and the rules its spec checks, e.g. `wait` with `WaitAPI`.
public struct Concept: Sendable {
    /// A short id, e.g. `wait`; a spec names it in `Spec.concept`.
    public let id: String
    /// The Swift protocol an implementation conforms to.
    public let api: String
    /// The Python APIs it mirrors, for the guides.
    public let mirrors: String
    /// The rules, in order.
    public let rules: [Rule]

    /// A concept as written in a chapter file, before it knows its chapter.
    public struct Draft: Sendable {
        let id: String
        let api: String
        let mirrors: String
        let rules: [RuleDraft]

        func concept(inChapter chapter: String) -> Concept {
            Concept(id: id, api: api, mirrors: mirrors, rules: rules.map {
                Rule(id: $0.id, chapter: chapter, concept: id, sentence: $0.sentence,
                     chineseSentence: $0.chineseSentence, section: $0.section,
                     severity: $0.severity, hasCWitness: $0.hasCWitness, points: $0.points)
            })
        }

        /// Declares a concept in a chapter file.
        public static func concept(_ id: String, api: String, mirrors: String, rules: [RuleDraft]) -> Draft {
            Draft(id: id, api: api, mirrors: mirrors, rules: rules)
        }
    }
}

/// A rule as written in a chapter file.
public struct RuleDraft: Sendable {
    let id: String
    let section: String
    let severity: Rule.Severity
    let hasCWitness: Bool
    let points: Int
    let sentence: String
    let chineseSentence: String

    /// A rule worth one point, its sentence in English and, as `zh`, the same sentence in Chinese.
    public static func rule(
        _ id: String, _ section: String, c hasCWitness: Bool, severity: Rule.Severity = .required,
        _ sentence: String, zh chineseSentence: String
    ) -> RuleDraft {
        RuleDraft(id: id, section: section, severity: severity, hasCWitness: hasCWitness, points: 1,
                  sentence: sentence, chineseSentence: chineseSentence)
    }
}
