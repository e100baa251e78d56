import Conformance
import Foundation
import Glibc

/// `grade --submissions DIR`: grades a class. Each folder in DIR is one student's copy of the
/// `Exercises` package; its `Sources/` (the student's solutions and runner) is graded with the
/// course's own manifest and tests, so every submission builds against this kit, offline, and a
/// submission cannot change how it is built.
///
/// The submissions are built one after the other in one staging package and one scratch folder, so
/// the kit is compiled once and each submission costs only its own modules; each is then graded
/// rule by rule, each rule in a sandbox (`Supervisor`), at most `jobs` rules at once. A submission
/// that does not compile gets the compiler's errors, one that hangs or crashes loses only its own
/// rules, and the batch always finishes with a row for every folder: `summary.csv` and
/// `summary.json`, and each student's own reports in a folder named after them.
public struct BatchGrade {
    /// One student's row of the summary.
    public struct Row: Codable, Equatable {
        public enum Status: String, Codable {
            case graded
            /// The submission's sources did not compile; `message` has the compiler's errors.
            case compileError = "compile error"
            /// The folder has no `Sources/` folder to grade.
            case notASubmission = "not a submission"
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
        public let message: String?
        public let score: Int
        public let maxScore: Int
        /// By chapter id, for the chapters graded.
        public let chapters: [String: ChapterScore]
    }

    let submissions: URL
    /// The kit's repository (its Exercises/ holds the manifest and the tests every submission gets).
    let kit: URL
    let rules: [Rule]
    let hidden: Set<String>
    let timeout: Double
    let jobs: Int
    /// The scratch folder every submission is built in, kept between runs (the kit's objects).
    let scratch: URL
    /// The language of each student's grade.txt.
    let language: Language
    /// Where the staging package is: next to the scratch folder, `<scratch>-stage/Exercises`.
    var stage: URL { URL(fileURLWithPath: scratch.path + "-stage") }

    public init(submissions: URL, kit: URL, rules: [Rule], hidden: Set<String>, timeout: Double, jobs: Int, scratch: URL,
                language: Language = .en) {
        self.submissions = submissions
        self.kit = kit
        self.rules = rules
        self.hidden = hidden
        self.timeout = timeout
        self.jobs = jobs
        self.scratch = scratch
        self.language = language
    }

    /// Grades every submission, writes the reports into `reports`, and returns the rows in the
    /// order of the students' names.
    public func run(reports: URL, progress: (String) -> Void) throws -> [Row] {
        let students = try studentFolders()
        guard !students.isEmpty else { throw Options.Problem(description: "\(submissions.path) has no submission folders") }
        let lock = try lockScratch()
        defer { close(lock) }
        var rows: [Row] = []
        for student in students {
            let folder = reports.appendingPathComponent(student.lastPathComponent)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let report: GradeReport
            do {
                let runner = try stage(student, progress: progress)
                progress("\(student.lastPathComponent): grading \(rules.count) rules")
                let outcomes = Supervisor.check(rules.map(\.id), with: runner, timeout: timeout, parallelism: jobs)
                report = GradeReport(rules: rules, outcomes: outcomes, hidden: hidden)
                rows.append(row(student, .graded, nil, report))
            } catch let failure as BuildFailure {
                // The compiler names the staged copy of each file: name the student's instead.
                let failure = BuildFailure(output: failure.output.replacingOccurrences(
                    of: stage.appendingPathComponent("Exercises").path + "/", with: student.path + "/"))
                let outcomes = rules.map { Outcome(rule: $0.id, status: .fail, message: "the submission did not compile") }
                report = GradeReport(rules: rules, outcomes: outcomes, problem: failure.description, hidden: hidden)
                rows.append(row(student, .compileError, failure.errors, report))
            } catch let missing as NotASubmission {
                let outcomes = rules.map { Outcome(rule: $0.id, status: .fail, message: missing.description) }
                report = GradeReport(rules: rules, outcomes: outcomes, problem: missing.description, hidden: hidden)
                rows.append(row(student, .notASubmission, missing.description, report))
            }
            try Data(report.table(in: language).utf8).write(to: folder.appendingPathComponent("grade.txt"))
            try Data(report.html(in: language).utf8).write(to: folder.appendingPathComponent("grade.html"))
            try report.gradescope().write(to: folder.appendingPathComponent("results.json"))
            try Data(report.junit().utf8).write(to: folder.appendingPathComponent("grade.xml"))
            progress("\(student.lastPathComponent): \(rows.last!.status.rawValue), \(report.score)/\(report.maxScore)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(rows).write(to: reports.appendingPathComponent("summary.json"))
        try Data(csv(rows).utf8).write(to: reports.appendingPathComponent("summary.csv"))
        return rows
    }

    /// The table printed at the end: a line per student, a column per chapter.
    public func table(_ rows: [Row]) -> String {
        let chapters = gradedChapters
        let width = max(7, rows.map(\.student.count).max() ?? 0) + 2
        var out = pad("student", width) + pad("status", 18) + pad("score", 10)
            + chapters.map { pad($0, max(6, $0.count + 2)) }.joined() + "\n"
        for row in rows {
            out += pad(row.student, width) + pad(row.status.rawValue, 18) + pad("\(row.score)/\(row.maxScore)", 10)
            out += chapters.map { id in
                let score = row.chapters[id].map { "\($0.score)/\($0.maxScore)" } ?? "-"
                return pad(score, max(6, id.count + 2))
            }.joined() + "\n"
        }
        return out
    }

    /// summary.csv: student, status, score, max, then each chapter's score and max.
    func csv(_ rows: [Row]) -> String {
        let chapters = gradedChapters
        var lines = [(["student", "status", "score", "max_score"] + chapters.flatMap { [$0, "\($0)_max"] }).joined(separator: ",")]
        for row in rows {
            let cells = [field(row.student), row.status.rawValue, "\(row.score)", "\(row.maxScore)"]
                + chapters.flatMap { id in row.chapters[id].map { ["\($0.score)", "\($0.maxScore)"] } ?? ["", ""] }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The chapters with a selected rule, in course order.
    private var gradedChapters: [String] {
        Catalog.chapters.map(\.id).filter { id in rules.contains { $0.chapter == id } }
    }

    private func row(_ student: URL, _ status: Row.Status, _ message: String?, _ report: GradeReport) -> Row {
        let chapters = Dictionary(uniqueKeysWithValues: report.chapterScores.map {
            ($0.chapter, Row.ChapterScore(score: $0.score, maxScore: $0.maxScore))
        })
        return Row(student: student.lastPathComponent, status: status, message: message, score: report.score,
                   maxScore: report.maxScore, chapters: chapters)
    }

    /// The folders of DIR, by name; files and hidden folders are not submissions.
    private func studentFolders() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: submissions.path).sorted()
        return names.filter { !$0.hasPrefix(".") }.map { submissions.appendingPathComponent($0) }.filter { url in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    /// The staging package: the course's manifest (its kit path made absolute) and tests, and the
    /// student's Sources/; built in the shared scratch folder, it gives the student's runner.
    private func stage(_ student: URL, progress: (String) -> Void) throws -> RunnerCommand {
        let sources = student.appendingPathComponent("Sources")
        guard FileManager.default.fileExists(atPath: sources.path) else {
            throw NotASubmission(description: "\(student.lastPathComponent) has no Sources/ folder: a submission is a copy of Exercises/")
        }
        progress("\(student.lastPathComponent): building")
        let package = stage.appendingPathComponent("Exercises")
        try? FileManager.default.removeItem(at: package)
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        let exercises = kit.appendingPathComponent("Exercises")
        let manifest = try String(contentsOf: exercises.appendingPathComponent("Package.swift"), encoding: .utf8)
        let kitDependency = #".package(name: "ConcurrencySpec", path: "..")"#
        guard manifest.contains(kitDependency) else {
            throw Options.Problem(description: "Exercises/Package.swift no longer depends on the kit as \(kitDependency)")
        }
        let staged = manifest.replacingOccurrences(of: kitDependency, with: #".package(name: "ConcurrencySpec", path: "\#(kit.path)")"#)
        try Data(staged.utf8).write(to: package.appendingPathComponent("Package.swift"))
        try FileManager.default.copyItem(at: sources, to: package.appendingPathComponent("Sources"))
        try FileManager.default.copyItem(at: exercises.appendingPathComponent("Tests"), to: package.appendingPathComponent("Tests"))
        return try SubmissionBuild.runner(package: package, product: "conformance-runner", scratch: scratch.path)
    }

    /// One batch at a time uses the staging package: a second is refused, not mixed in.
    private func lockScratch() throws -> CInt {
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        let path = stage.appendingPathComponent("lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Options.Problem(description: "cannot open \(path): \(Errno.current)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Options.Problem(description: "another batch grade is using \(scratch.path)")
        }
        return descriptor
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    private func field(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A folder in the submissions folder that holds no package sources.
struct NotASubmission: Error, CustomStringConvertible {
    let description: String
}
