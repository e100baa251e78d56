import Conformance
import Foundation
import Grading
import Testing

/// What the grader must report for a sample submission in Fixtures/Submissions.
struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let score: Int
    /// The rules that do not pass, and their status label; every other rule must pass.
    let problems: [String: String]

    var testDescription: String { name }

    static let all = [
        Sample(name: "correct", score: 224, problems: [:]),
        // Leaves out the zombies and the states, multiprocessing, IPC, threads, IO, servers and coroutines chapters.
        Sample(name: "partial", score: 23, problems: [
            "EXIT-4": "not implemented", "WAIT-8": "fail", "ZOMBIE-1": "not implemented", "ZOMBIE-2": "not implemented",
            "ZOMBIE-3": "not implemented", "ZOMBIE-4": "not implemented", "ZOMBIE-5": "not implemented",
            "ZOMBIE-6": "not implemented",
        ].merging((Chapter.states.rules + Chapter.multiprocessing.rules + Chapter.ipc.rules + Chapter.threads.rules + Chapter.io.rules + Chapter.servers.rules + Chapter.coroutines.rules).map { ($0.id, "not implemented") }) { $1 }),
        Sample(name: "partial-orphans", score: 221, problems: ["ORPHAN-1": "fail", "ORPHAN-2": "fail", "ORPHAN-3": "fail"]),
        Sample(name: "hang", score: 223, problems: ["EXIT-4": "timed out"]),
        Sample(name: "crash", score: 220, problems: [
            "WAIT-8": "crashed", "ORPHAN-3": "crashed", "ZOMBIE-5": "crashed", "ZOMBIE-6": "crashed",
        ]),
        Sample(name: "runaway", score: 221, problems: ["ORPHAN-1": "crashed", "ORPHAN-2": "crashed", "ORPHAN-3": "crashed"]),
    ]
}

/// The parts of results.json the tests read.
struct GradescopeResults: Decodable {
    struct Test: Decodable {
        let score: Int
        let max_score: Int
        let name: String
        let number: String
        let status: String
        let output: String
        let visibility: String
        let tags: [String]
    }

    let score: Int
    let output: String
    let tests: [Test]
}

/// Runs `grade` with `arguments`, writing reports to a new folder; returns the run and the folder.
func grade(_ arguments: [String], environment: [String: String] = [:]) throws -> (Finished, URL) {
    let reports = try Repository.temporaryFolder()
    let finished = try Repository.run("grade", arguments + ["--reports", reports.path], environment: environment)
    return (finished, reports)
}

func results(in reports: URL) throws -> GradescopeResults {
    try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: reports.appendingPathComponent("results.json")))
}

@Suite struct GraderTests {
    /// Verify that each sample submission gets exactly its score, and each rule exactly its status, in
    /// results.json (Gradescope) and grade.xml (JUnit, one test case per rule).
    @Test(arguments: Sample.all)
    func sampleIsGradedExactly(_ sample: Sample) throws {
        let runner = RunnerCommand.sibling("sample-\(sample.name)").executable
        // Every sample gets the default limit: a shorter one for the hanging sample would also bind
        // its heavier rules (16 MiB through a pipe), which a loaded machine can slow past it.
        let (finished, reports) = try grade(["--runner", runner])
        #expect(finished.succeeded, "\(finished.stderr)")
        let graded = try results(in: reports)
        #expect(graded.score == sample.score)
        #expect(graded.tests.map(\.number) == Catalog.rules.map(\.id))
        for test in graded.tests {
            let expected = sample.problems[test.number] ?? "pass"
            #expect(test.tags.last == expected, "\(test.number): \(test.output)")
            #expect(test.status == (expected == "pass" ? "passed" : "failed"))
            #expect(test.score == (expected == "pass" ? test.max_score : 0))
            #expect(test.visibility == "visible" && test.name.hasPrefix(test.number + ": "))
        }
        let junit = try String(contentsOf: reports.appendingPathComponent("grade.xml"), encoding: .utf8)
        #expect(junit.components(separatedBy: "<testcase ").count - 1 == Catalog.rules.count)
        #expect(finished.stdout.contains("Total: \(sample.score)/\(Catalog.rules.count)"))
    }

    /// Verify that a crash is reported with its signal and the trap's message, and a hang with the step it hung in.
    @Test func crashesAndHangsSayWhatHappened() throws {
        let crashed = try results(in: grade(["--runner", RunnerCommand.sibling("sample-crash").executable, "WAIT-8", "ORPHAN-3"]).1)
        #expect(crashed.tests[0].output.contains("SIGILL") && crashed.tests[0].output.contains("Fatal error: decode crashed"))
        #expect(crashed.tests[1].output.contains("killed by SIGSEGV"))
        let hung = try results(in: grade(["--runner", RunnerCommand.sibling("sample-hang").executable, "--timeout", "1", "EXIT-4"]).1)
        #expect(hung.tests[0].output.hasPrefix("no result after 1 s while child calling exit(message:"))
    }

    /// Verify that processes a submission leaves behind, even in a new session ignoring SIGTERM, and even
    /// after killing the runner that sandboxed them, are gone once the grade ends.
    @Test func nothingOutlivesTheGrade() throws {
        let pids = try Repository.temporaryFolder().appendingPathComponent("runaway.pids")
        let runner = RunnerCommand.sibling("sample-runaway").executable
        let (_, reports) = try grade(["--runner", runner, "zombies", "orphans"], environment: ["RUNAWAY_PIDS": pids.path])
        let orphans = try results(in: reports).tests.filter { $0.number.hasPrefix("ORPHAN") }
        #expect(orphans.allSatisfy { $0.output.contains("the runner itself ended with signaled(SIGKILL") }, "\(orphans.map(\.output))")
        let started = try String(contentsOf: pids, encoding: .utf8).split(separator: "\n").compactMap { pid_t($0) }
        #expect(!started.isEmpty, "the sample started no runaway")
        for pid in started {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "runaway \(pid) is still there")
        }
    }

    /// Verify that Ctrl-C (SIGINT to the grade alone, as its runners are in process groups of their own)
    /// stops the grade with exit code 130 and every process it started, the hanging rule's child too.
    @Test func interruptStopsEverythingItStarted() throws {
        let reports = try Repository.temporaryFolder()
        let grade = Process()
        grade.executableURL = URL(fileURLWithPath: RunnerCommand.sibling("grade").executable)
        grade.arguments = ["--runner", RunnerCommand.sibling("sample-hang").executable, "--timeout", "60",
                           "--reports", reports.path, "EXIT-4"]
        grade.standardOutput = FileHandle.nullDevice
        grade.standardError = FileHandle.nullDevice
        try grade.run()
        defer { if grade.isRunning { kill(grade.processIdentifier, SIGKILL) } }
        // The runner and the child it hangs in: two descendants. Only then is the signal sent: sent
        // before the grade has installed its handlers, it would find SIGINT's inherited disposition
        // (ignored, under a shell's background job), so the wait is as long as a loaded machine needs.
        var started: [pid_t] = []
        let deadline = Date().addingTimeInterval(120)
        while started.count < 2 && grade.isRunning && Date() < deadline {
            usleep(25_000)
            started = descendants(of: grade.processIdentifier)
        }
        try #require(started.count >= 2, "the grade started \(started) in 120 s")
        kill(grade.processIdentifier, SIGINT)
        grade.waitUntilExit()
        #expect(grade.terminationReason == .exit && grade.terminationStatus == 130)
        for pid in started {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "\(pid) outlived the grade")
        }
    }

    /// Every living descendant of `pid`, from each of its threads' children lists.
    private func descendants(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return children + children.flatMap { descendants(of: $0) }
    }

    /// Verify that grading a selection grades only those rules.
    @Test func gradingASelection() throws {
        let (_, reports) = try grade(["--runner", RunnerCommand.sibling("sample-correct").executable, "WAIT-*", "orphans"])
        let graded = try results(in: reports)
        #expect(graded.tests.map(\.number) == (1...10).map { "WAIT-\($0)" } + ["ORPHAN-1", "ORPHAN-2", "ORPHAN-3"])
        #expect(graded.score == 13)
    }

    /// Verify that a wrong command line is refused with a message naming the problem and exit code 64.
    @Test(arguments: [
        (["--timeout", "0"], "--timeout must be a positive number"),
        (["SPOON-1"], "'SPOON-1' names no chapter"),
        (["--colour"], "unknown option --colour"),
        (["--package", "/nonexistent"], "has no Package.swift"),
        (["--hidden", "EXIT-5", "fork"], "--hidden EXIT-5 selects none of the rules being graded"),
    ])
    func badCommandLines(_ arguments: [String], _ message: String) throws {
        let (finished, _) = try grade(arguments)
        #expect(finished.status == .exited(code: 64))
        #expect(finished.stderr.contains(message), "\(finished.stderr)")
    }

    /// Verify that a submission that does not compile scores 0 with the compiler's error, and exits 1.
    @Test func submissionThatDoesNotCompile() throws {
        let package = try Repository.temporaryFolder()
        let sources = package.appendingPathComponent("Sources/conformance-runner")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try """
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(name: "Broken", targets: [.executableTarget(name: "conformance-runner")])
        """.write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try "let x: Int = \"not a number\"\n".write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let (finished, reports) = try grade(["--package", package.path, "--scratch-path", package.appendingPathComponent(".scratch").path])
        #expect(finished.status == .exited(code: 1))
        #expect(finished.stdout.contains("The submission did not compile") && finished.stdout.contains("error:"))
        let graded = try results(in: reports)
        #expect(graded.score == 0 && graded.tests.count == Catalog.rules.count)
    }
}

/// The shipped student workspace, graded as `make grade` does and tested as a student runs `swift test`.
/// Both build the Exercises package (in one scratch folder outside it), so they run one after the other.
@Suite(.serialized) struct WorkspaceTests {
    static let scratch = Repository.path(".build-grade/tests-exercises")

    /// The workspace's files with their sizes and modification times.
    func snapshot() throws -> [String: String] {
        let folder = Repository.path("Exercises")
        var files: [String: String] = [:]
        for path in FileManager.default.subpaths(atPath: folder) ?? [] {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/\(path)")
            files[path] = "\(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? 0)"
        }
        return files
    }

    /// Verify that grading the shipped workspace reports every rule as not implemented, scores 0, and
    /// leaves the workspace's files as they were.
    @Test func shippedWorkspaceIsNotImplemented() throws {
        let before = try snapshot()
        let (finished, reports) = try grade(["--package", Repository.path("Exercises"), "--scratch-path", Self.scratch])
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        let graded = try results(in: reports)
        #expect(graded.score == 0)
        #expect(graded.tests.count == Catalog.rules.count)
        for test in graded.tests {
            #expect(test.tags.last == "not implemented" && test.output.hasPrefix("not implemented: "),
                    "\(test.number): \(test.tags.last ?? "") \(test.output)")
        }
        #expect(try snapshot() == before, "grading changed the workspace's files")
    }

    /// Verify that `swift test` in the workspace shows one failing test case per rule, named by its id
    /// and sentence, each failing as not implemented.
    @Test func studentSwiftTestShowsEveryRule() throws {
        guard let swift = Spawn.which("swift") else { Issue.record("swift is not on PATH"); return }
        let tested = try Spawn.run(swift, ["test", "--package-path", Repository.path("Exercises"), "--scratch-path", Self.scratch],
                                   timeout: 1800)
        #expect(tested.status == .exited(code: 1), "\(tested.stderr)")
        for rule in Catalog.rules {
            #expect(tested.stdout.contains("\(rule.id): \(rule.sentence)"), "no test case named \(rule.id)")
        }
        #expect(tested.stdout.components(separatedBy: "not implemented: ").count - 1 >= Catalog.rules.count)
    }
}

/// What a grade report makes of a rule this machine cannot check.
@Suite struct GradeReportTests {
    /// Verify that the HTML report is one page with nothing fetched: every rule once, in order, green,
    /// red or grey by its status, its failure message escaped, expected beside actual.
    @Test func htmlReport() throws {
        let ids = ["FORK-1", "FORK-2", "FORK-3", "STATE-7"]
        let rules = try ids.map { try #require(Catalog.rule($0)) }
        let html = GradeReport(rules: rules, outcomes: [
            Outcome(rule: "FORK-1", status: .pass),
            Outcome(rule: "FORK-2", status: .fail, message: "<script>alert(1)</script> & more", expected: "1 < 2", actual: "\"3\""),
            Outcome(rule: "FORK-3", status: .timedOut, message: "no result after 10 s"),
            Outcome(rule: "STATE-7", status: .unsupported, message: "setpriority(-5) failed with EACCES"),
        ]).html()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"))
        let rows = ids.map { id in html.components(separatedBy: "id=\"\(id)\"").count - 1 }
        #expect(rows == [1, 1, 1, 1])
        let positions = ids.compactMap { html.range(of: "id=\"\($0)\"")?.lowerBound }
        #expect(positions == positions.sorted(), "rules in catalog order")
        for (id, kind) in [("FORK-1", "pass"), ("FORK-2", "fail"), ("FORK-3", "fail"), ("STATE-7", "skip")] {
            #expect(html.contains("<tr class=\"\(kind)\" id=\"\(id)\">"), "\(id) \(kind)")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") && !html.contains("<script>"))
        #expect(html.contains("expected: 1 &lt; 2</div><div>actual: &quot;3&quot;</div>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "nothing fetched")
        #expect(html.contains("<p class=\"totals\">1/3</p>"), "the points: the unsupported rule is worth nothing here")
    }

    /// Verify that an unsupported rule earns nothing and costs nothing: it leaves the maximum, shows its
    /// reason in the table, and is a skipped JUnit test case, not a failure.
    @Test func unsupportedRuleIsNeitherPassedNorFailed() throws {
        let rules = [try #require(Catalog.rule("STATE-6")), try #require(Catalog.rule("STATE-7"))]
        let report = GradeReport(rules: rules, outcomes: [
            Outcome(rule: "STATE-6", status: .pass),
            Outcome(rule: "STATE-7", status: .unsupported, message: "setpriority(-5) failed with EACCES"),
        ])
        #expect(report.score == 1 && report.maxScore == 1)
        #expect(report.table().contains("STATE-7    unsupported      0/0"), "\(report.table())")
        #expect(report.table().contains("> setpriority(-5) failed with EACCES"))
        #expect(report.table().contains("Total: 1/1 (1 pass, 1 unsupported)"))
        let junit = report.junit()
        #expect(junit.contains("failures=\"0\" errors=\"0\" skipped=\"1\""), "\(junit)")
        #expect(junit.contains("<skipped message=\"setpriority(-5) failed with EACCES\"/>"))
    }
}

/// What a conformance report makes of the four result classes.
@Suite struct ConformanceReportTests {
    /// Verify that only a failure makes a run nonconformant: an unsupported rule and a broken one are
    /// listed with their reasons in the summary, as skipped and errored JUnit test cases.
    @Test func onlyFailuresAreNonconformant() throws {
        let ids = ["STATE-6", "STATE-7", "PIPE-1", "STATE-8"]
        let rules = try ids.map { try #require(Catalog.rule($0)) }
        let outcomes = [
            Outcome(rule: "STATE-6", status: .pass),
            Outcome(rule: "STATE-7", status: .unsupported, message: "setpriority(-5) failed with EACCES"),
            Outcome(rule: "PIPE-1", status: .broken, message: "the check's own pipe failed with EMFILE"),
            Outcome(rule: "STATE-8", status: .pass),
        ]
        let witnesses = [
            CTestResult(name: "STATE_6_a", passed: true, message: nil),
            CTestResult(name: "STATE_7_b", passed: false, skipped: true, message: "skipped"),
            CTestResult(name: "PIPE_1_c", passed: false, message: "BROKEN: pipe(fds) failed"),
            CTestResult(name: "STATE_8_d", passed: true, message: nil),
        ]
        let passing = ConformanceReport(rules: rules, outcomes: outcomes, cResults: witnesses)
        #expect(passing.rows.map { "\($0.swift.rawValue)/\($0.c.rawValue)" } == ["pass/pass", "unsupported/unsupported", "broken/broken", "pass/pass"])
        #expect(passing.passes)
        #expect(passing.table().contains("unsupported here: STATE-7; broken (the test's own setup failed): PIPE-1. Conformant."))
        let junit = passing.junit()
        #expect(junit.contains("<skipped message=\"swift: setpriority(-5) failed with EACCES\"/>"), "\(junit)")
        #expect(junit.contains("<error type=\"broken\""))
        var failed = outcomes
        failed[3] = Outcome(rule: "STATE-8", status: .fail, message: "wrong")
        #expect(!ConformanceReport(rules: rules, outcomes: failed, cResults: witnesses).passes)
    }
}
