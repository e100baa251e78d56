import ConformanceTesting
import Testing

/// Every rule of the course, one test case each, checked against the types declared in
/// Sources/conformance-runner/main.swift. Run one chapter with `swift test --filter` or, faster,
/// `make grade RULES=<chapter|concept|id>` at the top of the repository.
@Test(arguments: Catalog.rules)
func rule(_ rule: Rule) {
    expectRule(rule)
}
