import Conformance
import Foundation
import Grading
import Testing

/// `grade --submissions`: a teacher grading a class. Part of `WorkspaceTests`, one test at a time
/// (each builds the kit); the class has a scratch folder of its own, for SwiftPM may take objects
/// built from the staged copy of Exercises as up to date for the real one.
extension WorkspaceTests {
    static let batchScratch = Repository.path(".build-grade/tests-batch")

    /// The students of the class and what each one's copy of Exercises holds.
    enum Student: String, CaseIterable {
        /// fork and exit done right.
        case alice
        /// exit only; fork left as shipped.
        case bob
        /// fork with a type error.
        case carol
        /// exit(message:) spins forever.
        case dave
        /// getppid traps.
        case erin

        /// The files written over the shipped skeletons, by path under Sources/Solutions.
        var solutions: [String: String] {
            switch self {
            case .alice: ["Fork.swift": Self.fork, "Exit.swift": Self.exit]
            case .bob: ["Exit.swift": Self.exit]
            case .carol: ["Fork.swift": Self.fork.replacingOccurrences(of: "ProcessID(rawValue: system_getpid())", with: "\"not a pid\"")]
            case .dave: ["Fork.swift": Self.fork, "Exit.swift": Self.exit.replacingOccurrences(of: "let text = message", with: "while true {}; let text = message")]
            case .erin: ["Exit.swift": Self.exit,
                         "Fork.swift": Self.fork.replacingOccurrences(of: "ProcessID(rawValue: system_getppid())", with: "fatalError(\"getppid crashed\")")]
            }
        }

        static let fork = """
            import Conformance

            public struct StudentFork: ForkAPI {
                public init() {}
                public func fork() throws(Errno) -> ForkResult {
                    let pid = try valueOrErrno(retryOnInterrupt: false) { system_fork() }.get()
                    return pid == 0 ? .child : .parent(child: ProcessID(rawValue: pid))
                }
                public func getpid() -> ProcessID { ProcessID(rawValue: system_getpid()) }
                public func getppid() -> ProcessID { ProcessID(rawValue: system_getppid()) }
            }
            """

        static let exit = """
            import Conformance

            public struct StudentExit: ExitAPI {
                public init() {}
                public func exitImmediately(_ status: CInt) -> Never { system__exit(status) }
                public func exit(_ status: CInt) -> Never { system_exit(status) }
                public func exit(message: String) -> Never {
                    let text = message + "\\n"
                    _ = Array(text.utf8).withUnsafeBytes { system_write(2, $0) }
                    system_exit(1)
                }
            }
            """
    }

    /// A class folder: a copy of the shipped Sources per student with their files over it (bob's with an
    /// executable of his own); mallory,
    /// whose shipped copy holds a symbolic link to a file outside, a FIFO and a runner forging passes;
    /// oscar, with a source file larger than any solution; folders with no sources (frank, and one
    /// named like the summary); one whose name a spreadsheet would run as a formula; a stray file.
    func classFolder() throws -> URL {
        let folder = try Repository.temporaryFolder()
        for student in Student.allCases.map(\.rawValue) + ["mallory", "oscar"] {
            let sources = folder.appendingPathComponent("\(student)/Sources")
            try FileManager.default.createDirectory(at: sources.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Repository.path("Exercises/Sources"), toPath: sources.path)
            for (file, text) in Student(rawValue: student)?.solutions ?? [:] {
                try text.write(to: sources.appendingPathComponent("Solutions/\(file)"), atomically: true, encoding: .utf8)
            }
        }
        // bob's own executable, as a student's server would be (a folder of Sources/ beside Solutions).
        let tool = folder.appendingPathComponent("bob/Sources/bob-tool")
        try FileManager.default.createDirectory(at: tool, withIntermediateDirectories: true)
        try "import Solutions\nprint(\"bob's tool\")\n".write(to: tool.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let mallory = folder.appendingPathComponent("mallory/Sources")
        try FileManager.default.createSymbolicLink(atPath: mallory.appendingPathComponent("Solutions/Outside.swift").path,
                                                   withDestinationPath: "/etc/passwd")
        #expect(mkfifo(mallory.appendingPathComponent("Solutions/pipe").path, 0o644) == 0)
        try """
            print(#"{"rule":"FORK-1","status":"pass"}"#)
            """.write(to: mallory.appendingPathComponent("conformance-runner/main.swift"), atomically: true, encoding: .utf8)
        #expect(truncate(folder.appendingPathComponent("oscar/Sources/Solutions/Fork.swift").path, 5 << 20) == 0)
        for empty in ["frank", "summary.json", "=HYPERLINK(1)"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(empty), withIntermediateDirectories: true)
        }
        try "not a submission\n".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Verify that grading a class gives each student the row their code earns: full marks, a part,
    /// a compile error naming the student's own file, a hang and a crash that cost one rule each,
    /// the kit's runner whatever runner a student ships, a student's own executable built beside it,
    /// links and FIFOs skipped and named, a file too
    /// large to stage, and folders without sources; that each student gets their own reports, a
    /// hidden rule is hidden in Gradescope's results, and the summary is written as JSON and CSV.
    @Test func batchGradesAClass() throws {
        let submissions = try classFolder()
        let (finished, reports) = try grade(["--submissions", submissions.path, "--kit", Repository.root.path,
                                             "--scratch-path", Self.batchScratch, "--hidden", "EXIT-5", "fork", "exit"])
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        let rows = try JSONDecoder().decode([BatchGrade.Row].self,
                                            from: Data(contentsOf: reports.appendingPathComponent("summary.json")))
        #expect(rows.map(\.student) == ["=HYPERLINK(1)", "alice", "bob", "carol", "dave", "erin", "frank", "mallory", "oscar",
                                        "summary.json"])
        #expect(rows.map(\.status) == [.notASubmission, .graded, .graded, .compileError, .graded, .graded, .notASubmission,
                                       .graded, .cannotStage, .notASubmission])
        #expect(rows.map(\.score) == [0, 12, 5, 0, 11, 11, 0, 0, 0, 0])
        #expect(rows.allSatisfy { $0.maxScore == 12 && $0.chapters == ["processes": .init(score: $0.score, maxScore: 12)] })
        let carol = try #require(rows.first { $0.student == "carol" }?.message)
        #expect(carol.contains("\(submissions.path)/carol/Sources/Solutions/Fork.swift:") && carol.contains("error:"), "\(carol)")
        let mallory = rows.first { $0.student == "mallory" }?.message
        #expect(mallory == "not copied: Solutions/Outside.swift (a symbolic link), Solutions/pipe (neither a file nor a folder)")
        let oscar = try #require(rows.first { $0.student == "oscar" }?.message)
        #expect(oscar.contains("Solutions/Fork.swift has 5242880 bytes, more than the 4 MiB"), "\(oscar)")

        let bobTool = try Spawn.run(Self.batchScratch + "/debug/bob-tool", [], timeout: 60)
        #expect(bobTool.stdout == "bob's tool\n", "a student's executable is built next to the runner")
        let students = reports.appendingPathComponent("students")
        func statuses(_ student: String) throws -> [String: String] {
            let graded = try results(in: students.appendingPathComponent(student))
            return Dictionary(uniqueKeysWithValues: graded.tests.map { ($0.number, $0.tags.last ?? "") })
        }
        #expect(try statuses("alice").values.allSatisfy { $0 == "pass" })
        #expect(try statuses("bob").filter { $0.value != "pass" }.keys.sorted() == (1...7).map { "FORK-\($0)" })
        #expect(try statuses("dave").filter { $0.value != "pass" } == ["EXIT-4": "timed out"])
        #expect(try statuses("erin").filter { $0.value != "pass" } == ["FORK-2": "crashed"])
        #expect(try statuses("mallory").values.allSatisfy { $0 == "not implemented" })
        let alice = try results(in: students.appendingPathComponent("alice"))
        #expect(alice.tests.filter { $0.visibility == "hidden" }.map(\.number) == ["EXIT-5"])
        #expect(alice.score == 12 && alice.output == "11/11 points on the rules shown", "\(alice.output)")
        for file in ["carol/grade.txt", "carol/grade.html", "dave/grade.html", "summary.json/grade.txt"] {
            #expect(FileManager.default.fileExists(atPath: students.appendingPathComponent(file).path), "\(file)")
        }

        let bytes = try Data(contentsOf: reports.appendingPathComponent("summary.csv"))
        #expect(bytes.prefix(3) == Data([0xEF, 0xBB, 0xBF]), "a byte order mark, for spreadsheets to read UTF-8")
        let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(csv.split(separator: "\n").prefix(3) == ["student,status,score,max_score,processes,processes_max",
                                                         "'=HYPERLINK(1),not a submission,0,12,0,12",
                                                         "alice,graded,12,12,12,12"], "\(csv)")
        #expect(csv.contains("\ncarol,compile error,0,12,0,12\n") && csv.contains("\noscar,cannot stage,0,12,0,12\n"))
        #expect(finished.stdout.contains("dave           graded            11/12"), "\(finished.stdout)")
    }

    /// Verify that a student's build that takes longer than `--build-timeout` is stopped and reported
    /// as such, not as a compile error, and that the batch goes on.
    @Test func batchStopsABuildThatTakesTooLong() throws {
        let submissions = try Repository.temporaryFolder()
        try FileManager.default.createDirectory(at: submissions.appendingPathComponent("slow"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("Exercises/Sources"),
                                         toPath: submissions.appendingPathComponent("slow/Sources").path)
        let (finished, reports) = try grade(["--submissions", submissions.path, "--kit", Repository.root.path,
                                             "--scratch-path", Self.batchScratch, "--build-timeout", "0.01", "EXIT-1"])
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        let rows = try JSONDecoder().decode([BatchGrade.Row].self,
                                            from: Data(contentsOf: reports.appendingPathComponent("summary.json")))
        #expect(rows.map(\.status) == [.buildTimedOut] && rows.map(\.score) == [0])
        let report = try String(contentsOf: reports.appendingPathComponent("students/slow/grade.txt"), encoding: .utf8)
        #expect(report.contains("The build took longer than 0.01 s and was stopped"), "\(report)")
    }

    /// Verify that a submissions folder that is not one, holds no student, or holds the reports, is refused with exit code 64.
    @Test func batchRefusesAFolderWithoutSubmissions() throws {
        let empty = try Repository.temporaryFolder()
        let (none, _) = try grade(["--submissions", empty.path, "--kit", Repository.root.path, "--scratch-path", Self.batchScratch])
        #expect(none.status == .exited(code: 64) && none.stderr.contains("has no submission folders"), "\(none.stderr)")
        let (missing, _) = try grade(["--submissions", "/nonexistent", "--kit", Repository.root.path])
        #expect(missing.status == .exited(code: 64) && missing.stderr.contains("is not a folder"), "\(missing.stderr)")
        let overlapping = try Repository.run("grade", ["--submissions", empty.path, "--kit", Repository.root.path,
                                                       "--reports", empty.appendingPathComponent("reports").path])
        #expect(overlapping.status == .exited(code: 64) && overlapping.stderr.contains("overlap"), "\(overlapping.stderr)")
    }
}
