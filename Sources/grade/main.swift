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
        .value("scratch-path", "where the package is built (default: .build-grade/<name>-<hash>)"),
        .value("reports", "where to write results.json and grade.xml (default: reports)"),
        .value("timeout", "seconds one rule may take before it is reported as timed out (default: 10)"),
        .value("jobs", "rules checked at once (default: the number of CPUs)"),
        .flag("help", "show this help"),
    ]
    static let usage = "grade [OPTIONS] [CHAPTER | CONCEPT | RULE-ID | PREFIX* ...]"
}

/// The submission did not compile; the compiler's errors say why.
struct BuildFailure: Error, CustomStringConvertible {
    let output: String

    var description: String {
        let errors = output.split(separator: "\n").filter { $0.contains("error:") }.prefix(20)
        return "The submission did not compile:\n"
            + (errors.isEmpty ? String(output.suffix(2000)) : errors.joined(separator: "\n"))
    }
}

/// Builds the runner product with a scratch folder outside the package, so its files are not touched.
func build(_ options: Options) throws -> RunnerCommand {
    let package = options.value("package") ?? "Exercises"
    let product = options.value("product") ?? "conformance-runner"
    let folder = URL(fileURLWithPath: package).standardizedFileURL
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) else {
        throw Options.Problem(description: "\(package) has no Package.swift: pass a Swift package that depends on the conformance kit")
    }
    guard let swift = Spawn.which("swift") else { throw Options.Problem(description: "swift is not on PATH") }
    let scratch = options.value("scratch-path") ?? ".build-grade/\(folder.lastPathComponent)-\(stableHash(folder.path))"
    let arguments = ["build", "--package-path", folder.path, "--scratch-path", scratch, "--product", product]
    print("Building \(product) of \(folder.path) ...")
    let built = try Spawn.run(swift, arguments, timeout: 3600)
    guard built.succeeded else { throw BuildFailure(output: built.stdout + built.stderr) }
    let binaries = try Spawn.run(swift, arguments + ["--show-bin-path"], timeout: 600)
    let folderOfBinaries = binaries.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return RunnerCommand("\(folderOfBinaries)/\(product)", options.values("runner-argument"))
}

/// A short hash of a path that is the same in every run (Swift's `hashValue` is seeded per process).
func stableHash(_ text: String) -> String {
    var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    return String(hash % 0xffffff, radix: 16)
}

func main() throws -> Int32 {
    let options = try Options(Array(CommandLine.arguments.dropFirst()), accepting: Command.specs)
    if options.flag("help") {
        print(Options.help(Command.usage, Command.specs), terminator: "")
        return 0
    }
    let rules = try Catalog.select(options.positional)
    let timeout = try options.positiveNumber("timeout", default: RuleRunner.defaultTimeout)
    let jobs = Int(try options.positiveNumber("jobs", default: Double(ProcessInfo.processInfo.activeProcessorCount)))
    let report: GradeReport
    do {
        let runner = try options.value("runner").map { RunnerCommand($0, options.values("runner-argument")) }
            ?? build(options)
        let outcomes = Supervisor.check(rules.map(\.id), with: runner, timeout: timeout, parallelism: jobs)
        report = GradeReport(rules: rules, outcomes: outcomes)
    } catch let failure as BuildFailure {
        let outcomes = rules.map { Outcome(rule: $0.id, status: .fail, message: "the submission did not compile") }
        report = GradeReport(rules: rules, outcomes: outcomes, problem: failure.description)
    }
    print(report.table(), terminator: "")
    let reports = options.value("reports") ?? "reports"
    try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
    try report.gradescope().write(to: URL(fileURLWithPath: "\(reports)/results.json"))
    try report.junit().write(toFile: "\(reports)/grade.xml", atomically: true, encoding: .utf8)
    print("Reports: \(reports)/results.json, \(reports)/grade.xml")
    return report.problem == nil ? 0 : 1
}

exit(Tool.run(usage: Command.usage, main))
