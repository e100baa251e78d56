import Conformance
import Foundation
import FoundationXML
import Grading
import Testing

/// `make conformance` end to end: the table, reports/conformance.json with the fields CI joins on,
/// reports/conformance.xml as well-formed JUnit, and the exit code.
@Suite(.serialized) struct ConformanceToolTests {
    struct Row: Decodable {
        let id: String
        let chapter: String
        let sentence: String
        let section: String
        let swift: String
        let c: String
        let swiftMessage: String?
    }

    /// Runs `conformance` with `arguments` and the C witnesses built by the Makefile; `as user`
    /// (root only) runs it with that uid and gid and no capabilities, through setpriv(1).
    func conformance(_ arguments: [String], as user: uid_t? = nil) throws -> (Finished, [Row], XMLDocument) {
        let built = try Spawn.run(Spawn.which("make")!, ["-s", "-C", Repository.root.path, "ctests"], timeout: 300)
        #expect(built.succeeded, "\(built.stderr)")
        let reports = try Repository.temporaryFolder()
        let command = ["--ctests", Repository.path(".build/ctests"), "--reports", reports.path] + arguments
        let finished: Finished
        if let user {
            chmod(reports.path, 0o777)
            let setpriv = try #require(Spawn.which("setpriv"), "setpriv (util-linux) is needed to drop root")
            finished = try Spawn.run(setpriv, ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--inh-caps=-all",
                                               RunnerCommand.sibling("conformance").executable] + command, timeout: 600)
        } else {
            finished = try Repository.run("conformance", command)
        }
        let rows = try JSONDecoder().decode([Row].self, from: Data(contentsOf: reports.appendingPathComponent("conformance.json")))
        let xml = try XMLDocument(contentsOf: reports.appendingPathComponent("conformance.xml"))
        return (finished, rows, xml)
    }

    /// Verify that the reference and the C witnesses pass every rule: exit 0, every row pass in Swift,
    /// pass in C where the rule has a witness and none where it has not, one JUnit test case per rule.
    @Test func referenceIsConformant() throws {
        let (finished, rows, xml) = try conformance([])
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        let rules = Catalog.rules.count
        let witnessed = Catalog.rules.filter(\.hasCWitness).count
        #expect(finished.stdout.contains(
            "\(rules) rules: \(rules) pass in Swift; \(witnessed) with a C witness: \(witnessed) pass in C. Conformant."))
        #expect(rows.map(\.id) == Catalog.rules.map(\.id))
        for (row, rule) in zip(rows, Catalog.rules) {
            #expect(row.swift == "pass" && row.c == (rule.hasCWitness ? "pass" : "none"), "\(row.id)")
            #expect(row.chapter == rule.chapter && row.sentence == rule.sentence && row.section == rule.section)
        }
        #expect(try xml.nodes(forXPath: "//testcase").count == Catalog.rules.count)
        #expect(try xml.nodes(forXPath: "//failure").isEmpty)
    }

    /// Verify that a rule this machine cannot check is unsupported, not failed: STATE-7 as an
    /// unprivileged user (nobody, when the tests run as root), who may not lower a nice value. The
    /// Swift check and the C witness both say so with the reason, conformance still succeeds, and
    /// JUnit marks the test case skipped.
    @Test func unprivilegedLoweringOfNiceIsUnsupported() throws {
        let (finished, rows, xml) = try conformance(["STATE-7"], as: getuid() == 0 ? 65534 : nil)
        #expect(finished.succeeded, "\(finished.stdout)\(finished.stderr)")
        #expect(finished.stdout.contains("unsupported here: STATE-7. Conformant."), "\(finished.stdout)")
        #expect(rows.map(\.swift) == ["unsupported"] && rows.map(\.c) == ["unsupported"])
        #expect(rows.first?.swiftMessage?.contains("setpriority(-5) failed with EACCES") == true, "\(rows)")
        #expect(try xml.nodes(forXPath: "//testcase/skipped").count == 1)
        #expect(try xml.nodes(forXPath: "//failure").isEmpty)
    }

    /// Verify that a runner breaking one rule makes conformance fail (exit 1), naming the rule, its
    /// message in the JSON and a JUnit failure.
    @Test func brokenRuleIsNonconformant() throws {
        let mutant = RunnerCommand.sibling("mutant-runner").executable
        let (finished, rows, xml) = try conformance(["--runner", mutant, "--runner-argument", "--mutant",
                                                     "--runner-argument", "wait-any-child", "WAIT-7", "WAIT-1"])
        #expect(finished.status == .exited(code: 1))
        #expect(finished.stdout.contains("NOT conformant: WAIT-7."))
        #expect(rows.map(\.swift) == ["fail", "pass"])
        #expect(rows[0].swiftMessage?.hasPrefix("waitpid() for the second child: expected (pid: ") == true)
        #expect(try xml.nodes(forXPath: "//testcase[failure]/@name").map { $0.stringValue ?? "" }.first?.hasPrefix("WAIT-7: ") == true)
    }
}
