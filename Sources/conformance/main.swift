// `make conformance`: every rule against the reference implementation and the C witnesses on this
// kernel, printed as a table under the environment it ran in, and written to reports/conformance.json
// and reports/conformance.xml. `conformance rules` prints RULES.md; `conformance guides` writes the chapter
// guides into Guides/ (run at the repository's root); `conformance --compare A.json B.json`
// prints the rules whose results differ between two runs (exit 1 when some do).
import Conformance
import Foundation
import Grading

enum Command {
    static let specs: [Options.Spec] = [
        .value("runner", "the runner to check (default: reference-runner next to this tool)"),
        .value("runner-argument", "an argument the runner takes before --rule (repeatable)"),
        .value("ctests", "the folder of built cmocka witnesses (default: .build/ctests)"),
        .value("reports", "where to write conformance.json and conformance.xml (default: reports)"),
        .value("timeout", "seconds one rule may take (default: 10)"),
        .value("jobs", "rules checked at once (default: the number of CPUs)"),
        .value("guides", "where `conformance guides` writes the chapter guides (default: Guides)"),
        Language.option,
        .flag("compare", "compare two reports: conformance --compare A.json B.json"),
        .flag("help", "show this help"),
    ]
    static let usage = "conformance [rules | guides] [OPTIONS] [CHAPTER | CONCEPT | RULE-ID | PREFIX* ...] | conformance --compare A.json B.json"
}

func main() throws -> Int32 {
    let options = try Options(Array(CommandLine.arguments.dropFirst()), accepting: Command.specs)
    let language = try Language.chosen(by: options)
    if options.flag("help") {
        print(Options.help(Command.usage, Command.specs), terminator: "")
        return 0
    }
    if options.flag("compare") {
        guard options.positional.count == 2 else { throw Options.Problem(description: "--compare takes two reports: A.json B.json") }
        let runs = try options.positional.map { path in
            do {
                return (name: path, document: try JSONDecoder().decode(ConformanceReport.Document.self,
                                                                      from: Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw Options.Problem(description: "\(path) is not a conformance report (reports/conformance.json): \(error.localizedDescription)")
            }
        }
        let comparison = ConformanceComparison(runs[0], runs[1])
        print(comparison.text(), terminator: "")
        return comparison.differing.isEmpty ? 0 : 1
    }
    if options.positional.first == "rules" {
        print(RulesDocument.markdown(), terminator: "")
        return 0
    }
    if options.positional.first == "guides" {
        try writeGuides(into: options.value("guides") ?? "Guides")
        return 0
    }
    let rules = try Catalog.select(options.positional)
    let runner = RunnerCommand(options.value("runner") ?? RunnerCommand.sibling("reference-runner").executable,
                               options.values("runner-argument"))
    let timeout = try options.positiveNumber("timeout", default: RuleRunner.defaultTimeout)
    let jobs = Int(try options.positiveNumber("jobs", default: Double(ProcessInfo.processInfo.activeProcessorCount)))
    let outcomes = Supervisor.check(rules.map(\.id), with: runner, timeout: timeout, parallelism: jobs)

    let ctests = options.value("ctests") ?? ".build/ctests"
    var cResults: [CTestResult] = []
    if FileManager.default.fileExists(atPath: ctests) {
        cResults = try CWitnesses.run(in: ctests)
    } else {
        print("note: no C witnesses in \(ctests) (build them with `make ctest`)")
    }
    let report = ConformanceReport(rules: rules, outcomes: outcomes, cResults: cResults)
    print(report.table(in: language), terminator: "")
    let reports = options.value("reports") ?? "reports"
    try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
    try report.json().write(to: URL(fileURLWithPath: "\(reports)/conformance.json"))
    try report.junit().write(toFile: "\(reports)/conformance.xml", atomically: true, encoding: .utf8)
    try report.html(in: language).write(toFile: "\(reports)/conformance.html", atomically: true, encoding: .utf8)
    print(language.text("Reports: ", zh: "报告：") + "\(reports)/conformance.json, \(reports)/conformance.xml, \(reports)/conformance.html")
    return report.passes ? 0 : 1
}

exit(Tool.run(usage: Command.usage, main))

/// Writes Guides/README.md and a guide per chapter, read from the repository's root (this folder).
func writeGuides(into folder: String) throws {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Exercises/Sources/Solutions").path) else {
        throw Options.Problem(description: "run `conformance guides` at the repository's root: it reads Exercises/ and CTests/")
    }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try ChapterGuide.index().write(toFile: "\(folder)/README.md", atomically: true, encoding: .utf8)
    for chapter in Catalog.chapters {
        let guide = ChapterGuide(chapter, root: root)
        try guide.markdown().write(toFile: "\(folder)/\(guide.fileName)", atomically: true, encoding: .utf8)
    }
    print("Guides: \(folder)/README.md and \(Catalog.chapters.count) chapters")
}
