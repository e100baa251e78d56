import Conformance
import Coroutines
import Foundation
import Grading
import Multiprocessing
import Networking
import Processes
import Testing
import Threading

/// The catalog is the one source of truth: every rule has exactly one Swift check, every check and
/// every cmocka witness names a catalogued rule, and RULES.md and the chapter guides are what the catalog generates.
@Suite struct CatalogTests {
    /// The reference specs, as the reference runner declares them.
    let specs: [any Spec] = [
        ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(Wait()), OrphanSpec(Orphans()), ZombieSpec(Zombies()),
        ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
        ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()), PipeSpec(PipeFactory()),
        QueueSpec(QueueFactory()), SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
        ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()), DeadlockSpec(DeadlockFactory()),
        GILSpec(GILFactory()), SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
        ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory()),
    ]

    /// Verify that ids are unique and well formed, and that each rule names its concept and a section of its chapter.
    @Test func rulesAreWellFormed() {
        let ids = Catalog.rules.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate ids")
        for chapter in Catalog.chapters {
            for concept in chapter.concepts {
                for rule in concept.rules {
                    #expect(rule.id.range(of: #"^[A-Z]+-[0-9]+$"#, options: .regularExpression) != nil, "\(rule.id)")
                    #expect(concept.id.hasPrefix(rule.id.split(separator: "-")[0].lowercased()), "\(rule.id) in \(concept.id)")
                    #expect(chapter.sections.contains(rule.section), "\(rule.id): section \(rule.section)")
                    #expect(rule.sentence.hasSuffix("."), "\(rule.id): a sentence ends with a period")
                    #expect(!rule.sentence.contains("\n") && !rule.sentence.contains("\\"),
                            "\(rule.id): a sentence is one line (a line of a multi-line literal ends with a single \\)")
                }
            }
        }
    }

    /// Verify that every catalogued rule has exactly one check and every check names a catalogued rule of its concept.
    @Test func everyRuleHasExactlyOneCheck() {
        let checked = specs.flatMap { spec in spec.checks.map { (rule: $0.rule, concept: type(of: spec).concept) } }
        #expect(checked.map(\.rule).sorted() == Catalog.rules.map(\.id).sorted())
        for check in checked {
            #expect(Catalog.rule(check.rule)?.concept == check.concept, "\(check.rule) is checked by the \(check.concept) spec")
        }
    }

    /// Verify that the reference runner lists exactly the catalogued rules.
    @Test func referenceRunnerListsEveryRule() throws {
        let listed = try Repository.run("reference-runner", ["--list"])
        let ids = try JSONDecoder().decode([String: [String]].self, from: Data(listed.stdout.utf8))["rules"]
        #expect(ids?.sorted() == Catalog.rules.map(\.id).sorted())
    }

    /// Verify that every rule marked C has a cmocka test named after it, and every cmocka test names such a rule.
    @Test func cWitnessesMatchTheCatalog() throws {
        let folder = Repository.path("CTests")
        var names: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".c") {
            let source = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: #"cmocka_unit_test(?:_setup|_teardown|_setup_teardown)?\((\w+)[,)]"#)
            names += pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).map {
                String(source[Range($0.range(at: 1), in: source)!])
            }
        }
        for rule in Catalog.rules {
            let witnesses = names.filter { $0.hasPrefix(rule.cWitnessPrefix) }
            #expect(witnesses.isEmpty != rule.hasCWitness, "\(rule.id): hasCWitness is \(rule.hasCWitness), tests \(witnesses)")
        }
        for name in names {
            #expect(Catalog.rules.contains { $0.hasCWitness && name.hasPrefix($0.cWitnessPrefix) }, "\(name) names no rule with a C witness")
        }
    }

    /// Verify that the committed RULES.md is what `make rules` generates.
    @Test func rulesDocumentIsInSync() throws {
        let committed = try String(contentsOfFile: Repository.path("RULES.md"), encoding: .utf8)
        #expect(committed == RulesDocument.markdown(), "RULES.md is stale: run `make rules`")
    }

    /// Verify that the committed chapter guides are what `make guides` generates, and that each one
    /// found what it links to: every concept's skeleton in Exercises/, every witnessed rule's C file,
    /// and a Python/Swift table.
    @Test(arguments: Catalog.chapters.map(\.id))
    func chapterGuideIsInSyncAndComplete(_ id: String) throws {
        let chapter = try #require(Catalog.chapters.first { $0.id == id })
        let guide = ChapterGuide(chapter, root: Repository.root)
        let generated = try guide.markdown()
        let committed = try String(contentsOfFile: Repository.path("Guides/\(guide.fileName)"), encoding: .utf8)
        #expect(committed == generated, "Guides/\(guide.fileName) is stale: run `make guides`")
        #expect(!generated.contains("(none yet)"), "a concept of \(id) has no skeleton in Exercises/Sources/Solutions")
        let witnessed = chapter.rules.filter(\.hasCWitness).count
        #expect(generated.components(separatedBy: "C witness in [`CTests/").count - 1 == witnessed)
        #expect(generated.contains("## Python and Swift, side by side\n\n| Python (the course) | Swift | Notes |\n|---|---|---|\n| "))
        // Each sentence as written once Markdown's escapes are read back.
        let shown = generated.replacingOccurrences(of: "\\", with: "")
        for rule in chapter.rules {
            #expect(shown.contains("- **\(rule.id)** \(rule.sentence)") && shown.contains("\n  \(rule.chineseSentence)\n"))
        }
    }

    /// Verify that an API name or a path in a sentence is not read as Markdown: `__del__` is not bold,
    /// `<pid>` not a tag, and `_:_:` not emphasis.
    @Test func sentencesAreLiteralMarkdown() throws {
        let guides = try ["multiprocessing", "states", "processes"].map { id in
            try ChapterGuide(#require(Catalog.chapters.first { $0.id == id }), root: Repository.root).markdown()
        }.joined()
        #expect(guides.contains(#"Pool.\_\_del\_\_"#) && guides.contains(#"/proc/\<pid\>/stat"#) && guides.contains(#"signal(\_:\_:)"#))
        let ruleLines = guides.split(separator: "\n").filter { $0.hasPrefix("- **") || $0.hasPrefix("  ") }
        #expect(!ruleLines.contains { $0.contains("Pool.__del__") || $0.contains("/proc/<pid>/stat") || $0.contains("(_:_:)") })
        let rules = RulesDocument.markdown()
        #expect(rules.contains(#"Pool.\_\_del\_\_"#) && !rules.contains("/proc/<pid>/stat"))
    }

    /// Verify that the committed index of the guides is what `make guides` generates.
    @Test func guidesIndexIsInSync() throws {
        let committed = try String(contentsOfFile: Repository.path("Guides/README.md"), encoding: .utf8)
        #expect(committed == ChapterGuide.index(), "Guides/README.md is stale: run `make guides`")
    }

    /// Verify that selections name chapters, concepts, ids and prefixes, and that an unknown one is an error.
    @Test func selectingRules() throws {
        #expect(try Catalog.select([]).count == Catalog.rules.count)
        #expect(try Catalog.select(["processes"]).count == Chapter.processes.rules.count)
        #expect(try Catalog.select(["wait"]).map(\.id) == (1...10).map { "WAIT-\($0)" })
        #expect(try Catalog.select(["WAIT-1*"]).map(\.id) == ["WAIT-1", "WAIT-10"])
        #expect(try Catalog.select(["FORK-2", "fork"]).first?.id == "FORK-2")
        #expect(throws: CatalogError.unknownSelector("SPOON-1")) { try Catalog.select(["SPOON-1"]) }
    }
}
