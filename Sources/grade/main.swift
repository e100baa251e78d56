// `make grade`: builds a package's rule runner and grades it rule by rule, each rule in a sandbox
// of its own, so a rule that hangs or crashes costs only itself. Prints a table per chapter and
// writes results.json (Gradescope) and grade.xml (JUnit).
import Conformance
import Foundation
import Grading

enum Command {
    static let specs: [Options.Spec] = [
        .value("package", "the package to grade, depending on the conformance kit (default: Exercises)"),
        .value("product", "the package's runner product (default: conformance-runner)"),
        .value("runner", "grade this already-built runner instead of building a package"),
        .value("runner-argument", "an argument the runner takes before --rule (repeatable)"),
        .value("submissions", "grade every submission in this folder (a copy of Exercises per student) and write a summary"),
        .value("kit", "with --submissions: the kit's repository, whose Exercises/ each submission is built as (default: .)"),
        .value("hidden", "rules whose results students do not see, as selected on the command line (repeatable)"),
        .value("build-timeout", "with --submissions: seconds one student's build may take (default: 600)"),
        .value("scratch-path", "where the package is built (default: .build-grade/<name>-<hash>; .build-grade/batch for --submissions)"),
        .value("reports", "where to write results.json and grade.xml (default: reports)"),
        .value("timeout", "seconds one rule may take before it is reported as timed out (default: 10)"),
        .value("jobs", "rules checked at once (default: the number of CPUs)"),
        Language.option,
        .flag("help", "show this help"),
    ]
    static let usage = "grade [OPTIONS] [CHAPTER | CONCEPT | RULE-ID | PREFIX* ...]"
}

/// Builds the runner product with a scratch folder outside the package, so its files are not touched.
func build(_ options: Options) throws -> RunnerCommand {
    let package = options.value("package") ?? "Exercises"
    let product = options.value("product") ?? "conformance-runner"
    let folder = URL(fileURLWithPath: package).standardizedFileURL
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) else {
        throw Options.Problem(description: "\(package) has no Package.swift: pass a Swift package that depends on the conformance kit")
    }
    let scratch = options.value("scratch-path") ?? ".build-grade/\(folder.lastPathComponent)-\(SubmissionBuild.stableHash(folder.path))"
    print("Building \(product) of \(folder.path) ...")
    return try SubmissionBuild.runner(package: folder, product: product, scratch: scratch,
                                      arguments: options.values("runner-argument"))
}

func main() throws -> Int32 {
    let options = try Options(Array(CommandLine.arguments.dropFirst()), accepting: Command.specs)
    let language = try Language.chosen(by: options)
    if options.flag("help") {
        print(Options.help(Command.usage, Command.specs), terminator: "")
        return 0
    }
    let rules = try Catalog.select(options.positional)
    let timeout = try options.positiveNumber("timeout", default: RuleRunner.defaultTimeout)
    let jobs = Int(try options.positiveNumber("jobs", default: Double(ProcessInfo.processInfo.activeProcessorCount)))
    // An empty selection means every rule: no --hidden hides none.
    let hiddenSelection = options.values("hidden")
    let hidden = hiddenSelection.isEmpty ? [] : Set(try Catalog.select(hiddenSelection).map(\.id)).intersection(rules.map(\.id))
    if !hiddenSelection.isEmpty && hidden.isEmpty {
        throw Options.Problem(description: "--hidden \(hiddenSelection.joined(separator: " ")) selects none of the rules being graded")
    }
    let reports = options.value("reports") ?? "reports"
    if let submissions = options.value("submissions") {
        return try gradeAll(in: submissions, rules: rules, hidden: hidden, timeout: timeout, jobs: jobs, options: options,
                            reports: reports, language: language)
    }
    let report: GradeReport
    do {
        let runner = try options.value("runner").map { RunnerCommand($0, options.values("runner-argument")) }
            ?? build(options)
        let outcomes = Supervisor.check(rules.map(\.id), with: runner, timeout: timeout, parallelism: jobs)
        report = GradeReport(rules: rules, outcomes: outcomes, hidden: hidden)
    } catch let failure as BuildFailure {
        let outcomes = rules.map { Outcome(rule: $0.id, status: .fail, message: "the submission did not compile") }
        report = GradeReport(rules: rules, outcomes: outcomes, problem: failure.description, hidden: hidden)
    }
    print(report.table(in: language), terminator: "")
    try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
    try report.gradescope().write(to: URL(fileURLWithPath: "\(reports)/results.json"))
    try report.junit().write(toFile: "\(reports)/grade.xml", atomically: true, encoding: .utf8)
    try report.html(in: language).write(toFile: "\(reports)/grade.html", atomically: true, encoding: .utf8)
    print(language.text("Reports: ", zh: "报告：") + "\(reports)/results.json, \(reports)/grade.xml, \(reports)/grade.html")
    return report.problem == nil ? 0 : 1
}

/// `grade --submissions DIR`: every student's copy of Exercises in DIR, one after the other, built
/// against the kit (`--kit`, by default the current folder: the repository's root).
func gradeAll(in submissions: String, rules: [Rule], hidden: Set<String>, timeout: Double, jobs: Int,
              options: Options, reports: String, language: Language) throws -> Int32 {
    let kit = URL(fileURLWithPath: options.value("kit") ?? FileManager.default.currentDirectoryPath).standardizedFileURL
    guard FileManager.default.fileExists(atPath: kit.appendingPathComponent("Exercises/Package.swift").path) else {
        throw Options.Problem(description: "\(kit.path) has no Exercises/Package.swift: run grade --submissions at the repository's root, or pass --kit")
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: submissions, isDirectory: &isFolder), isFolder.boolValue else {
        throw Options.Problem(description: "--submissions \(submissions) is not a folder")
    }
    let class_ = URL(fileURLWithPath: submissions).standardizedFileURL.resolvingSymlinksInPath()
    let folder = URL(fileURLWithPath: reports).standardizedFileURL.resolvingSymlinksInPath()
    if inside(folder, class_) || inside(class_, folder) {
        throw Options.Problem(description: "--reports \(reports) and --submissions \(submissions) overlap: the reports would be graded as a student, or a student's folder written over")
    }
    let scratch = URL(fileURLWithPath: options.value("scratch-path") ?? ".build-grade/batch").standardizedFileURL
    let buildTimeout = try options.positiveNumber("build-timeout", default: 600)
    let batch = BatchGrade(submissions: class_, kit: kit, rules: rules, hidden: hidden, timeout: timeout,
                           buildTimeout: buildTimeout, jobs: jobs, scratch: scratch, language: language)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let rows = try batch.run(reports: folder) { print($0) }
    print("\n" + batch.table(rows), terminator: "")
    print(language.text("Reports: ", zh: "报告：") + "\(reports)/summary.csv, \(reports)/summary.json, "
        + "\(reports)/students/<student>/ (grade.txt, grade.html, results.json, grade.xml)")
    return 0
}

/// Whether `folder` is `other` or inside it.
func inside(_ folder: URL, _ other: URL) -> Bool {
    folder.path == other.path || folder.path.hasPrefix(other.path.hasSuffix("/") ? other.path : other.path + "/")
}

exit(Tool.run(usage: Command.usage, main))
