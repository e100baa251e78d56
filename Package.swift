// swift-tools-version:6.0
import PackageDescription

// An executable specification of Unix concurrency: rules, specs any implementation plugs into,
// reference implementations, C witnesses (CTests/, built by the Makefile) and a grader.
let package = Package(
    name: "ConcurrencySpec",
    products: [
        // The conformance kit a student's package depends on: protocols, specs, the rule runner.
        .library(name: "Conformance", targets: ["Conformance"]),
        // swift-testing glue: one visible test case per rule in a student's `swift test`.
        .library(name: "ConformanceTesting", targets: ["ConformanceTesting"]),
        // The reference implementation of the Processes chapter.
        .library(name: "Processes", targets: ["Processes"]),
        .executable(name: "conformance", targets: ["conformance"]),
        .executable(name: "grade", targets: ["grade"]),
    ],
    // No dependencies: a student's package depends on this one, and must build offline without
    // resolving anything into its own folder.
    targets: [
        .target(name: "CSystem"),
        .target(name: "Syscalls", dependencies: ["CSystem"]),
        .target(name: "Conformance", dependencies: ["Syscalls", "CSystem"]),
        .target(name: "Processes", dependencies: ["Conformance"]),
        .target(name: "Grading", dependencies: ["Conformance", "CSystem"]),
        .target(name: "ConformanceTesting", dependencies: ["Grading"]),
        .executableTarget(name: "reference-runner", dependencies: ["Conformance", "Processes"]),
        .executableTarget(name: "conformance", dependencies: ["Grading"]),
        .executableTarget(name: "grade", dependencies: ["Grading"]),
        // Known-wrong implementations, one or more per rule; each must be rejected by its rules.
        .executableTarget(name: "mutant-runner", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Mutants"),
        // Sample submissions the grader's tests grade, with the scores they must get.
        .executableTarget(name: "sample-correct", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Submissions/correct"),
        .executableTarget(name: "sample-partial", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Submissions/partial"),
        .executableTarget(name: "sample-hang", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Submissions/hang"),
        .executableTarget(name: "sample-crash", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Submissions/crash"),
        .executableTarget(name: "sample-runaway", dependencies: ["Conformance", "Processes"],
                          path: "Fixtures/Submissions/runaway"),
        // Small C programs standing in for runners that exit, crash or hang.
        .executableTarget(name: "exit-with", path: "Fixtures/Helpers/exit-with"),
        .executableTarget(name: "die-by-signal", path: "Fixtures/Helpers/die-by-signal"),
        .executableTarget(name: "stop-self", path: "Fixtures/Helpers/stop-self"),
        .testTarget(name: "ConformanceTests", dependencies: [
            "Conformance", "Grading", "ConformanceTesting", "Processes",
            "reference-runner", "mutant-runner", "conformance", "grade",
            "sample-correct", "sample-partial", "sample-hang", "sample-crash", "sample-runaway",
            "exit-with", "die-by-signal", "stop-self",
        ]),
    ]
)
