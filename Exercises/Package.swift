// swift-tools-version:6.0
import PackageDescription

// The student workspace: implement the protocols in Sources/Solutions, declare them in
// Sources/conformance-runner/main.swift, and run `swift test` here (or `make grade` at the top).
let package = Package(
    name: "Exercises",
    dependencies: [
        .package(name: "ConcurrencySpec", path: ".."),
    ],
    targets: [
        .target(name: "Solutions", dependencies: [.product(name: "Conformance", package: "ConcurrencySpec")]),
        // The rule runner the grader and the tests start once per rule.
        .executableTarget(name: "conformance-runner", dependencies: [
            "Solutions", .product(name: "Conformance", package: "ConcurrencySpec"),
        ]),
        .testTarget(name: "SolutionsTests", dependencies: [
            "conformance-runner", .product(name: "ConformanceTesting", package: "ConcurrencySpec"),
        ]),
    ]
)
