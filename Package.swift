// swift-tools-version:6.0
import PackageDescription

// An executable specification of Unix concurrency: rules, specs any implementation plugs into,
// reference implementations, C witnesses (CTests/, built by the Makefile) and a grader.

/// Sample submissions in Fixtures/Submissions, each an executable `sample-<name>`.
let samples = ["correct", "partial", "partial-orphans", "hang", "crash", "runaway"]
/// C helper programs in Fixtures/Helpers.
let helpers = ["exit-with", "die-by-signal", "stop-self", "partial-tap"]

let package = Package(
    name: "ConcurrencySpec",
    products: [
        // The conformance kit a student's package depends on: protocols, specs, the rule runner.
        .library(name: "Conformance", targets: ["Conformance"]),
        // swift-testing glue: one visible test case per rule in a student's `swift test`.
        .library(name: "ConformanceTesting", targets: ["ConformanceTesting"]),
        // The reference implementation of the Processes chapter.
        .library(name: "Processes", targets: ["Processes"]),
        // The reference implementation of the multiprocessing chapter: Process and Pool.
        .library(name: "Multiprocessing", targets: ["Multiprocessing"]),
        // The reference implementation of the threads chapter: Thread, Event, Lock, RLock, the GIL model.
        .library(name: "Threading", targets: ["Threading"]),
        // The reference implementation of the IO chapter: sockets in Python's three modes, and a
        // selector over select, poll and epoll.
        .library(name: "Networking", targets: ["Networking"]),
        // The reference implementation of the coroutines chapter: greenlet-style stackful coroutines.
        .library(name: "Coroutines", targets: ["Coroutines"]),
        .executable(name: "conformance", targets: ["conformance"]),
        .executable(name: "grade", targets: ["grade"]),
        // `make gil-demo`: CPU-bound and IO-bound work on threads and processes, with and without the GIL model.
        .executable(name: "gil-demo", targets: ["gil-demo"]),
        // `make proc-states`: the process states of the course on real processes, ps beside, and a process tree.
        .executable(name: "proc-states", targets: ["proc-states"]),
        // The course's echo servers: `echo-server --model select|poll|epoll --port N`.
        .executable(name: "echo-server", targets: ["echo-server"]),
        // The course's UDP chat room: `chat-server --port N`, `chat-client HOST PORT`.
        .executable(name: "chat-server", targets: ["chat-server"]),
        // The course's HTTPServer v2.0: `http-server --root DIR --port N`.
        .executable(name: "http-server", targets: ["http-server"]),
        .executable(name: "chat-client", targets: ["chat-client"]),
        // The course's FTP file server and its client: `ftp-server --root DIR --port N`, `ftp-client HOST PORT`.
        .executable(name: "ftp-server", targets: ["ftp-server"]),
        .executable(name: "ftp-client", targets: ["ftp-client"]),
    ],
    // No dependencies: a student's package depends on this one, and must build offline without
    // resolving anything into its own folder.
    targets: [
        .target(name: "CSystem"),
        .target(name: "Syscalls", dependencies: ["CSystem"]),
        .target(name: "Conformance", dependencies: ["Syscalls", "CSystem"]),
        .target(name: "Processes", dependencies: ["Conformance"]),
        .target(name: "Multiprocessing", dependencies: ["Conformance", "Processes", "CSystem"]),
        .target(name: "Threading", dependencies: ["Conformance", "CSystem"]),
        .target(name: "Networking", dependencies: ["Conformance", "CSystem", "Threading", "Coroutines"]),
        .target(name: "Coroutines", dependencies: ["Conformance", "CSystem"]),
        .target(name: "Grading", dependencies: ["Conformance", "CSystem"]),
        .target(name: "ConformanceTesting", dependencies: ["Grading"]),
        .executableTarget(name: "reference-runner", dependencies: ["Conformance", "Processes", "Multiprocessing", "Threading", "Networking", "Coroutines"]),
        .executableTarget(name: "conformance", dependencies: ["Grading"]),
        .executableTarget(name: "grade", dependencies: ["Grading"]),
        .executableTarget(name: "echo-server", dependencies: ["Conformance", "Networking", "CSystem"]),
        .executableTarget(name: "chat-server", dependencies: ["Conformance", "Networking", "CSystem"]),
        .executableTarget(name: "http-server", dependencies: ["Conformance", "Networking", "CSystem"]),
        .executableTarget(name: "chat-client", dependencies: ["Conformance", "Networking"]),
        .executableTarget(name: "ftp-server", dependencies: ["Conformance", "Networking", "CSystem"]),
        .executableTarget(name: "ftp-client", dependencies: ["Conformance", "Networking"]),
        // `make bench`: the reference measured beside its peers (Benchmarks/*.py, C).
        .executableTarget(name: "bench", dependencies: ["Conformance", "Multiprocessing", "Threading", "Coroutines", "Grading"], path: "Benchmarks/bench"),
        .executableTarget(name: "gil-demo", dependencies: ["Conformance", "Threading", "Multiprocessing"], path: "Demos/gil-demo"),
        .executableTarget(name: "proc-states", dependencies: ["Conformance", "Processes"], path: "Demos/proc-states"),
        // Known-wrong implementations, one or more per rule; each must be rejected by its rules.
        .executableTarget(name: "mutant-runner", dependencies: ["Conformance", "Processes", "Multiprocessing", "Threading", "Networking", "Coroutines", "CSystem"],
                          path: "Fixtures/Mutants"),
    ] + samples.map {
        // Sample submissions the grader's tests grade, with the scores they must get.
        .executableTarget(name: "sample-\($0)", dependencies: ["Conformance", "Processes", "Multiprocessing", "Threading", "Networking", "Coroutines"], path: "Fixtures/Submissions/\($0)")
    } + helpers.map {
        // Small C programs standing in for runners that exit, crash or hang.
        .executableTarget(name: $0, path: "Fixtures/Helpers/\($0)")
    } + [
        .testTarget(name: "ConformanceTests", dependencies: [
            "Conformance", "Grading", "ConformanceTesting", "Processes", "Multiprocessing", "Threading", "Networking", "Coroutines",
            "reference-runner", "mutant-runner", "conformance", "grade", "echo-server", "chat-server", "chat-client", "http-server", "ftp-server", "ftp-client",
            "proc-states",
        ] + samples.map { .target(name: "sample-\($0)") } + helpers.map { .target(name: $0) }),
    ]
)
