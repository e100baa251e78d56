import Conformance
import Foundation
import Glibc

/// `grade --submissions DIR`: grades a class. Each folder in DIR is one student's copy of the
/// `Exercises` package; its `Sources/Solutions/` is graded with the course's own manifest, tests and
/// runner (`Sources/conformance-runner/main.swift`), so every submission builds against this kit,
/// offline, cannot change how it is built, and cannot replace the runner that prints its outcomes.
///
/// The submissions are built one after the other in one staging package and one scratch folder, so
/// the kit is compiled once (first with its own shipped Exercises, so that a kit that does not build
/// is not blamed on the students) and each submission costs only its own module; each is then graded
/// rule by rule, each rule in a sandbox (`Supervisor`), at most `jobs` rules at once. A submission
/// that does not compile gets the compiler's errors, one that hangs or crashes loses only its own
/// rules, one whose files cannot be copied gets a row that says which, and the batch always finishes
/// with a row for every folder: `summary.csv` and `summary.json`, rewritten whole after each student,
/// and each student's own reports in `students/<name>/`.
///
/// What a batch isolates is processes, not trust: the student's code runs inside the runner, so it
/// could print an outcome of its own. Grade untrusted code as an unprivileged user or in a container.
public struct BatchGrade {
    /// One student's row of the summary.
    public struct Row: Codable, Equatable {
        public enum Status: String, Codable, CaseIterable {
            case graded
            /// The submission's sources did not compile; `message` has the compiler's errors.
            case compileError = "compile error"
            /// The build ended without a compiler error: killed, out of memory; `message` has its end.
            case buildFailed = "build failed"
            /// The build took longer than the build timeout and was stopped.
            case buildTimedOut = "build timed out"
            /// The submission's files could not be copied (unreadable, too large); `message` says which.
            case cannotStage = "cannot stage"
            /// The folder has no `Sources/Solutions/` folder to grade.
            case notASubmission = "not a submission"

            /// How the summary table prints the status.
            public func label(in language: Language) -> String {
                switch self {
                case .graded: language.text(rawValue, zh: "已评分")
                case .compileError: language.text(rawValue, zh: "编译错误")
                case .buildFailed: language.text(rawValue, zh: "构建失败")
                case .buildTimedOut: language.text(rawValue, zh: "构建超时")
                case .cannotStage: language.text(rawValue, zh: "无法复制")
                case .notASubmission: language.text(rawValue, zh: "不是提交")
                }
            }
        }

        /// A chapter's points.
        public struct ChapterScore: Codable, Equatable {
            public let score: Int
            public let maxScore: Int

            public init(score: Int, maxScore: Int) {
                self.score = score
                self.maxScore = maxScore
            }
        }

        public let student: String
        public let status: Status
        /// The compiler's errors, why the files could not be copied, or the entries skipped (links, FIFOs).
        public let message: String?
        public let score: Int
        public let maxScore: Int
        /// By chapter id, for the chapters graded.
        public let chapters: [String: ChapterScore]
    }

    /// What stops the whole batch: the staging package is in use, or the kit itself does not build.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let submissions: URL
    /// The kit's repository (its Exercises/ holds the manifest, the tests and the runner every submission gets).
    let kit: URL
    let rules: [Rule]
    let hidden: Set<String>
    let timeout: Double
    /// Seconds one student's build may take; the kit's own first build gets an hour.
    let buildTimeout: Double
    let jobs: Int
    /// The scratch folder every submission is built in, kept between runs (the kit's objects).
    let scratch: URL
    /// The language of each student's grade.txt and of the summary table.
    let language: Language
    /// Where the staging package is: next to the scratch folder, `<scratch>-stage/Exercises`.
    var stage: URL { URL(fileURLWithPath: scratch.path + "-stage") }
    private var package: URL { stage.appendingPathComponent("Exercises") }
    private var exercises: URL { kit.appendingPathComponent("Exercises") }

    public init(submissions: URL, kit: URL, rules: [Rule], hidden: Set<String>, timeout: Double, buildTimeout: Double = 600,
                jobs: Int, scratch: URL, language: Language = .en) {
        self.submissions = submissions
        self.kit = kit
        self.rules = rules
        self.hidden = hidden
        self.timeout = timeout
        self.buildTimeout = buildTimeout
        self.jobs = jobs
        self.scratch = scratch
        self.language = language
    }

    /// Grades every submission, writes the reports into `reports` (the summaries again after each
    /// student, so a batch stopped midway leaves the rows so far), and returns the rows in the order
    /// of the students' names.
    public func run(reports: URL, progress: (String) -> Void) throws -> [Row] {
        let students = try studentFolders()
        guard !students.isEmpty else { throw Options.Problem(description: "\(submissions.path) has no submission folders") }
        let lock = try lockStage()
        defer { close(lock) }
        progress("checking that the kit's own Exercises builds")
        do {
            try stageSources(nil)
            _ = try SubmissionBuild.runner(package: package, product: "conformance-runner", scratch: scratch.path, wholePackage: true)
        } catch {
            throw Failure(description: "the kit's own Exercises does not build, so no submission could: \(error)")
        }
        var rows: [Row] = []
        for student in students {
            let name = student.lastPathComponent
            let (row, report) = grade(student, progress: progress)
            rows.append(row)
            let folder = reports.appendingPathComponent("students/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(report.table(in: language).utf8).write(to: folder.appendingPathComponent("grade.txt"), options: .atomic)
            try Data(report.html(in: language).utf8).write(to: folder.appendingPathComponent("grade.html"), options: .atomic)
            try report.gradescope().write(to: folder.appendingPathComponent("results.json"), options: .atomic)
            try Data(report.junit().utf8).write(to: folder.appendingPathComponent("grade.xml"), options: .atomic)
            try writeSummaries(rows, to: reports)
            progress("\(name): \(row.status.label(in: language)), \(report.score)/\(report.maxScore)")
        }
        return rows
    }

    /// One student's row and report. Every failure of this student's own files or build ends here as
    /// their row; only the kit's and the reports folder's failures stop the batch.
    private func grade(_ student: URL, progress: (String) -> Void) -> (Row, GradeReport) {
        let name = student.lastPathComponent
        func failed(_ status: Row.Status, _ message: String, problem: String) -> (Row, GradeReport) {
            let outcomes = rules.map { Outcome(rule: $0.id, status: .fail, message: "the submission was not graded: \(status.rawValue)") }
            let report = GradeReport(rules: rules, outcomes: outcomes, problem: problem, hidden: hidden)
            return (row(name, status, message, report), report)
        }
        let solutions = student.appendingPathComponent("Sources/Solutions")
        var status = stat()
        guard lstat(solutions.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            let message = "\(name) has no Sources/Solutions/ folder: a submission is a copy of Exercises/"
            return failed(.notASubmission, message, problem: message)
        }
        do {
            progress("\(name): building")
            let skipped = try stageSources(student.appendingPathComponent("Sources"))
            let runner = try SubmissionBuild.runner(package: package, product: "conformance-runner", scratch: scratch.path, wholePackage: true,
                                                    timeout: buildTimeout)
            progress("\(name): grading \(rules.count) rules")
            let outcomes = Supervisor.check(rules.map(\.id), with: runner, timeout: timeout, parallelism: jobs)
            let report = GradeReport(rules: rules, outcomes: outcomes, hidden: hidden)
            let message = skipped.isEmpty ? nil : "not copied: " + skipped.joined(separator: ", ")
            return (row(name, .graded, message, report), report)
        } catch let failure as BuildFailure {
            // The compiler names the staged copy of each file: name the student's instead.
            let failure = BuildFailure(reason: failure.reason, output: failure.output.replacingOccurrences(
                of: package.path + "/Sources/", with: student.path + "/Sources/"))
            let status: Row.Status = switch failure.reason {
            case .compileErrors: .compileError
            case .timedOut: .buildTimedOut
            case .ended: .buildFailed
            }
            return failed(status, failure.errors, problem: failure.description)
        } catch {
            return failed(.cannotStage, "\(error)", problem: "The submission could not be copied for grading: \(error)")
        }
    }

    private func row(_ student: String, _ status: Row.Status, _ message: String?, _ report: GradeReport) -> Row {
        let chapters = Dictionary(uniqueKeysWithValues: report.chapterScores.map {
            ($0.chapter, Row.ChapterScore(score: $0.score, maxScore: $0.maxScore))
        })
        return Row(student: student, status: status, message: message, score: report.score,
                   maxScore: report.maxScore, chapters: chapters)
    }

    /// The folders of DIR, by name; files, links and hidden folders are not submissions.
    private func studentFolders() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: submissions.path).sorted()
        return names.filter { !$0.hasPrefix(".") }.map { submissions.appendingPathComponent($0) }.filter { url in
            var status = stat()
            return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// Fills the staging package: the course's manifest (its kit path made absolute), tests and runner,
    /// and the student's `Sources/Solutions/` and other folders of `Sources/` (the kit's own Solutions
    /// when `sources` is nil). Each other folder is one of the student's executables, e.g. the echo
    /// server the student's runner starts: the staged manifest declares it as an executable target
    /// depending on Solutions and the kit, so it is built next to the runner. Returns the entries
    /// not copied.
    @discardableResult
    private func stageSources(_ sources: URL?) throws -> [String] {
        if FileManager.default.fileExists(atPath: package.path) { try FileManager.default.removeItem(at: package) }
        try FileManager.default.createDirectory(at: package.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        let executables = try sources.map(studentExecutables(in:)) ?? []
        var copy = StagedCopy()
        for folder in ["Solutions"] + executables {
            try copy.copy((sources ?? exercises.appendingPathComponent("Sources")).appendingPathComponent(folder),
                          to: package.appendingPathComponent("Sources/\(folder)"))
        }
        for kitFolder in ["Tests", "Sources/conformance-runner"] {
            try FileManager.default.copyItem(at: exercises.appendingPathComponent(kitFolder),
                                             to: package.appendingPathComponent(kitFolder))
        }
        let manifest = try String(contentsOf: exercises.appendingPathComponent("Package.swift"), encoding: .utf8)
        let kitDependency = #".package(name: "ConcurrencySpec", path: "..")"#
        guard manifest.contains(kitDependency), manifest.contains("targets: [\n") else {
            throw Failure(description: "Exercises/Package.swift no longer depends on the kit as \(kitDependency) or lists its targets as `targets: [`")
        }
        let targets = executables.map { name in
            #"        .executableTarget(name: "\#(swiftStringContents(name))", dependencies: ["Solutions", .product(name: "Conformance", package: "ConcurrencySpec")]),\#n"#
        }.joined()
        let staged = manifest
            .replacingOccurrences(of: kitDependency, with: #".package(name: "ConcurrencySpec", path: "\#(swiftStringContents(kit.path))")"#)
            .replacingOccurrences(of: "targets: [\n", with: "targets: [\n" + targets)
        try Data(staged.utf8).write(to: package.appendingPathComponent("Package.swift"))
        return copy.skipped
    }

    /// The folders of a student's `Sources/` besides Solutions and the runner, by name: their executables.
    private func studentExecutables(in sources: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted().filter { name in
            var status = stat()
            return !name.hasPrefix(".") && !["Solutions", "conformance-runner"].contains(name)
                && lstat(sources.appendingPathComponent(name).path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// `text` as it goes between the quotes of a Swift string literal.
    private func swiftStringContents(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// One batch at a time uses the staging package: a second is refused, not mixed in.
    private func lockStage() throws -> CInt {
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        let path = stage.appendingPathComponent("lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): \(Errno.current)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Failure(description: "another batch grade is using \(scratch.path)")
        }
        return descriptor
    }
}
