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

    /// A class folder: a copy of the shipped Sources per student with their files over it, a
    /// folder with no sources (frank) and a stray file.
    func classFolder() throws -> URL {
        let folder = try Repository.temporaryFolder()
        for student in Student.allCases {
            let sources = folder.appendingPathComponent("\(student.rawValue)/Sources")
            try FileManager.default.createDirectory(at: sources.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Repository.path("Exercises/Sources"), toPath: sources.path)
            for (file, text) in student.solutions {
                try text.write(to: sources.appendingPathComponent("Solutions/\(file)"), atomically: true, encoding: .utf8)
            }
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("frank"), withIntermediateDirectories: true)
        try "not a submission\n".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Verify that grading a class gives each student the row their code earns: full marks, a part,
    /// a compile error naming the student's own file, a hang and a crash that cost one rule each,
    /// and a folder without sources; that each student gets their own reports, a hidden rule is
    /// hidden in Gradescope's results, and the summary is written as JSON and CSV.
    @Test func batchGradesAClass() throws {
        let submissions = try classFolder()
        let (finished, reports) = try grade(["--submissions", submissions.path, "--kit", Repository.root.path,
                                             "--scratch-path", Self.batchScratch, "--hidden", "EXIT-5", "fork", "exit"])
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        let rows = try JSONDecoder().decode([BatchGrade.Row].self,
                                            from: Data(contentsOf: reports.appendingPathComponent("summary.json")))
        #expect(rows.map(\.student) == ["alice", "bob", "carol", "dave", "erin", "frank"])
        #expect(rows.map(\.status) == [.graded, .graded, .compileError, .graded, .graded, .notASubmission])
        #expect(rows.map(\.score) == [12, 5, 0, 11, 11, 0])
        #expect(rows.allSatisfy { $0.maxScore == 12 && $0.chapters == ["processes": .init(score: $0.score, maxScore: 12)] })
        let carol = try #require(rows.first { $0.student == "carol" }?.message)
        #expect(carol.contains("\(submissions.path)/carol/Sources/Solutions/Fork.swift:") && carol.contains("error:"), "\(carol)")

        func statuses(_ student: String) throws -> [String: String] {
            let graded = try results(in: reports.appendingPathComponent(student))
            return Dictionary(uniqueKeysWithValues: graded.tests.map { ($0.number, $0.tags.last ?? "") })
        }
        #expect(try statuses("alice").values.allSatisfy { $0 == "pass" })
        #expect(try statuses("bob").filter { $0.value != "pass" }.keys.sorted() == (1...7).map { "FORK-\($0)" })
        #expect(try statuses("dave").filter { $0.value != "pass" } == ["EXIT-4": "timed out"])
        #expect(try statuses("erin").filter { $0.value != "pass" } == ["FORK-2": "crashed"])
        let alice = try results(in: reports.appendingPathComponent("alice"))
        #expect(alice.tests.filter { $0.visibility == "hidden" }.map(\.number) == ["EXIT-5"])
        for file in ["carol/grade.txt", "carol/grade.html", "dave/grade.html"] {
            #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent(file).path), "\(file)")
        }

        let csv = try String(contentsOf: reports.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").prefix(2) == ["student,status,score,max_score,processes,processes_max",
                                                         "alice,graded,12,12,12,12"], "\(csv)")
        #expect(csv.contains("\ncarol,compile error,0,12,0,12\n") && csv.hasSuffix("\nfrank,not a submission,0,12,0,12\n"))
        #expect(finished.stdout.contains("dave     graded            11/12"), "\(finished.stdout)")
    }

    /// Verify that a submissions folder that is not one, or holds no student, is refused with exit code 64.
    @Test func batchRefusesAFolderWithoutSubmissions() throws {
        let empty = try Repository.temporaryFolder()
        let (none, _) = try grade(["--submissions", empty.path, "--kit", Repository.root.path, "--scratch-path", Self.batchScratch])
        #expect(none.status == .exited(code: 64) && none.stderr.contains("has no submission folders"), "\(none.stderr)")
        let (missing, _) = try grade(["--submissions", "/nonexistent", "--kit", Repository.root.path])
        #expect(missing.status == .exited(code: 64) && missing.stderr.contains("is not a folder"), "\(missing.stderr)")
    }
}
