import Conformance
import Dispatch
import Foundation
import Synchronization

/// How to start a runner: its executable and any arguments that come before `--rule`
/// (the mutant runner takes `--mutant NAME` there).
public struct RunnerCommand: Sendable, CustomStringConvertible {
    public let executable: String
    public let arguments: [String]

    public init(_ executable: String, _ arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// An executable built next to the running one (the same `.build/debug` folder).
    public static func sibling(_ name: String, _ arguments: [String] = []) -> RunnerCommand {
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return RunnerCommand(folder.appendingPathComponent(name).path, arguments)
    }

    public var description: String { ([executable] + arguments).joined(separator: " ") }
}

/// Checks rules by starting a runner once per rule and reading the outcome it prints.
///
/// The runner enforces the rule's time limit itself; this side allows a margin more and then
/// kills the runner, so even a broken runner cannot hang a grade. Each runner's TMPDIR is a new
/// folder, removed with whatever is in it once the runner has ended, even when it was killed.
public enum Supervisor {
    /// Checks one rule. The runner gets `margin` seconds beyond the rule's limit before it is
    /// killed from outside.
    public static func check(_ rule: String, with runner: RunnerCommand,
                             timeout: Double = RuleRunner.defaultTimeout, margin: Double = 10) -> Outcome {
        let arguments = runner.arguments + ["--rule", rule, "--timeout", String(timeout)]
        let scratch: TemporaryFolder
        do throws(Errno) { scratch = try TemporaryFolder("rule-\(rule)") } catch {
            return Outcome(rule: rule, status: .crashed, message: "cannot make a temporary folder for the runner: \(error)")
        }
        defer { scratch.remove() }
        let finished: Finished
        do {
            finished = try Spawn.run(runner.executable, arguments, timeout: timeout + margin, environment: ["TMPDIR": scratch.path])
        } catch {
            return Outcome(rule: rule, status: .crashed, message: error.description)
        }
        let line = finished.stdout.split(separator: "\n").last.map(String.init) ?? ""
        if finished.succeeded, let outcome = try? JSONDecoder().decode(Outcome.self, from: Data(line.utf8)) {
            return outcome
        }
        var outcome = Outcome(rule: rule, status: .crashed, message: runnerFailure(finished, limit: timeout + margin))
        outcome.output = String((finished.stdout + finished.stderr).suffix(4000))
        return outcome
    }

    /// Checks many rules, `parallelism` runners at a time; the outcomes come back in the same order.
    public static func check(_ rules: [String], with runner: RunnerCommand, timeout: Double = RuleRunner.defaultTimeout,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Outcome] {
        let outcomes = Mutex([Outcome?](repeating: nil, count: rules.count))
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(parallelism, rules.count))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= rules.count { return }
                let outcome = check(rules[index], with: runner, timeout: timeout)
                outcomes.withLock { $0[index] = outcome }
            }
        }
        return outcomes.withLock { $0.map { $0! } }
    }

    private static func runnerFailure(_ finished: Finished, limit: Double) -> String {
        switch finished.status {
        case nil: "the runner gave no answer within \(limit.formatted()) s and was killed"
        case .exited(let code)?: "the runner exited with code \(code) without an outcome"
            + (finished.stderr.isEmpty ? "" : ": " + finished.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        case let status?: "the runner itself ended with \(status)"
        }
    }
}
