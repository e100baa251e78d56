import Conformance
import Foundation
import Grading
import Testing

/// The supervisor reports runners that misbehave instead of trusting them, using the C helper
/// programs in Fixtures/Helpers as stand-ins for broken runners.
@Suite struct SupervisorTests {
    /// Verify that a runner exiting without an outcome is reported as crashed, with its exit code.
    @Test func runnerExitingSilentlyIsCrashed() {
        let outcome = Supervisor.check("FORK-1", with: .sibling("exit-with", ["3"]))
        #expect(outcome.status == .crashed)
        #expect(outcome.message?.contains("exited with code 3 without an outcome") == true, "\(outcome)")
    }

    /// Verify that a runner killed by a signal is reported as crashed, naming the signal, and that
    /// the file it left in its TMPDIR (whose path it printed) is gone with the folder.
    @Test func runnerKilledBySignalIsCrashed() {
        let outcome = Supervisor.check("FORK-1", with: .sibling("die-by-signal", ["11"]))
        #expect(outcome.status == .crashed)
        #expect(outcome.message?.contains("SIGSEGV") == true, "\(outcome)")
        let folder = outcome.output?.split(separator: "\n").first.map(String.init)
        #expect(folder?.contains("/rule-FORK-1-") == true, "\(outcome)")
        #expect(folder.map { !FileManager.default.fileExists(atPath: $0) } == true, "\(outcome)")
    }

    /// Verify that a runner that never answers (it stops itself) is killed at the supervisor's own deadline.
    @Test func runnerThatNeverAnswersIsKilled() {
        let outcome = Supervisor.check("FORK-1", with: .sibling("stop-self"), timeout: 0.2, margin: 0.3)
        #expect(outcome.status == .crashed)
        #expect(outcome.message == "the runner gave no answer within 0.5 s and was killed")
    }

    /// Verify that a runner that cannot be started is reported with the errno.
    @Test func missingRunnerIsCrashed() {
        let outcome = Supervisor.check("FORK-1", with: RunnerCommand("/nonexistent/runner"))
        #expect(outcome.status == .crashed)
        #expect(outcome.message == "cannot run /nonexistent/runner: ENOENT (No such file or directory)")
    }

    /// Verify that a runner asked for an uncatalogued rule refuses with usage, and the supervisor says so.
    @Test func unknownRuleIsRefusedByTheRunner() {
        let outcome = Supervisor.check("SPOON-1", with: .sibling("reference-runner"))
        #expect(outcome.status == .crashed)
        #expect(outcome.message?.contains("exited with code 64") == true && outcome.message?.contains("SPOON-1 is not a catalogued rule") == true)
    }

    /// Verify that a check killed midway leaves nothing in the temporary folder: FTP-13 makes its
    /// served site (files in TMPDIR, removed by the check's own clean-up) and then waits 2.5 s, so
    /// with a limit of 2 s the check process is killed before that clean-up runs; the runner gave
    /// it a TMPDIR of its own and removes it. Without that, the site stays (as it did when a
    /// student's unimplemented server ended the check process).
    @Test func aCheckKilledMidwayLeavesNoTemporaryFiles() throws {
        let folder = try Repository.temporaryFolder()
        let finished = try Repository.run("reference-runner", ["--rule", "FTP-13", "--timeout", "2"], timeout: 60,
                                          environment: ["TMPDIR": folder.path])
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(finished.stdout.utf8))
        #expect(outcome.status == .timedOut, "\(outcome)")
        // A step is recorded only after the site is made: the check was killed with its site there.
        #expect(outcome.message?.contains(" while ") == true, "\(outcome)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    /// Verify that checking many rules returns the outcomes in the order asked, whatever finishes first.
    @Test func manyRulesKeepTheirOrder() {
        let ids = Catalog.rules.map(\.id).reversed().map { $0 }
        let outcomes = Supervisor.check(ids, with: .sibling("reference-runner"), parallelism: 3)
        #expect(outcomes.map(\.rule) == ids)
    }
}

/// The C witnesses' TAP output, as cmocka 1.1 prints it.
@Suite struct TAPTests {
    /// Verify that passes, failures with their messages, and the group line are read correctly.
    @Test func readsPassesAndFailures() {
        let tap = """
        1..3
        ok 1 - FORK_1_a
        not ok 2 - FORK_2_b
        # 0x1 != 0x2
        # processes.c:7: error: Failure!
        ok 3 - FORK_3_c
        # not ok - processes
        """
        #expect(CWitnesses.parseTAP(tap) == [
            CTestResult(name: "FORK_1_a", passed: true, message: nil),
            CTestResult(name: "FORK_2_b", passed: false, message: "0x1 != 0x2\nprocesses.c:7: error: Failure!"),
            CTestResult(name: "FORK_3_c", passed: true, message: nil),
        ])
    }

    /// Verify that a test that called cmocka's skip() (its rule cannot be checked here) is read as
    /// skipped, neither passed nor failed, in both forms cmocka versions print (1.1.5 says "not ok").
    @Test func readsSkips() {
        let tap = """
        1..3
        ok 1 - STATE_6_a
        not ok 2 # SKIP STATE_7_b
        \tok 3 # SKIP TREE_5_c
        # ok - states
        """
        #expect(CWitnesses.parseTAP(tap) == [
            CTestResult(name: "STATE_6_a", passed: true, message: nil),
            CTestResult(name: "STATE_7_b", passed: false, skipped: true, message: "skipped: this machine cannot check it"),
            CTestResult(name: "TREE_5_c", passed: false, skipped: true, message: "skipped: this machine cannot check it"),
        ])
    }

    /// Verify that a failure whose message starts "BROKEN: " (witness.h's SAFE: the test's own setup
    /// failed) is read as broken, and any other failure is not.
    @Test func readsBrokenSetups() {
        let tap = """
        1..2
        not ok 1 - PIPE_1_a
        # BROKEN: ipc.c:12: pipe(fds) failed: Too many open files
        # ipc.c:12: error: Failure!
        not ok 2 - PIPE_2_b
        # 0x1 != 0x2
        # not ok - ipc
        """
        #expect(CWitnesses.parseTAP(tap).map(\.broken) == [true, false])
    }

    /// Verify that a witness binary that dies before reporting every test is a failure, not a silent pass.
    /// (The binary is a link to a built helper: writing an executable here and running it at once can
    /// fail with ETXTBSY while another test thread is spawning a process.)
    @Test func binaryDyingEarlyFails() throws {
        let folder = try Repository.temporaryFolder()
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("processes").path,
                                                   withDestinationPath: RunnerCommand.sibling("partial-tap").executable)
        let results = try CWitnesses.run(in: folder.path)
        #expect(results.first == CTestResult(name: "FORK_1_a", passed: true, message: nil))
        #expect(results.last?.passed == false && results.last?.message?.contains("SIGSEGV") == true, "\(results)")
    }
}

/// The tools' command lines.
@Suite struct OptionsTests {
    let specs: [Options.Spec] = [.value("timeout", ""), .value("runner-argument", ""), .flag("help", "")]

    /// Verify both spellings of a value, repeated options, flags and positional arguments.
    @Test func parsesValuesFlagsAndPositionals() throws {
        let options = try Options(["WAIT-*", "--timeout=3", "--runner-argument", "a", "--runner-argument", "b", "--help", "fork"],
                                  accepting: specs)
        #expect(options.positional == ["WAIT-*", "fork"])
        #expect(try options.positiveNumber("timeout", default: 10) == 3)
        #expect(options.values("runner-argument") == ["a", "b"])
        #expect(options.flag("help"))
    }

    /// Verify that each kind of mistake names itself.
    @Test(arguments: [
        (["--nope"], "unknown option --nope"),
        (["--timeout"], "--timeout needs a value"),
        (["--help=yes"], "--help takes no value"),
    ])
    func refusesMistakes(_ arguments: [String], _ message: String) {
        #expect(throws: Options.Problem(description: message)) { try Options(arguments, accepting: specs) }
    }

    /// Verify that numbers must be positive and finite.
    @Test(arguments: ["0", "-1", "inf", "ten"])
    func refusesBadNumbers(_ text: String) throws {
        let options = try Options(["--timeout", text], accepting: specs)
        #expect(throws: Options.Problem.self) { try options.positiveNumber("timeout", default: 10) }
    }
}
