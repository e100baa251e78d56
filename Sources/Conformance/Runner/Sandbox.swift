import CSystem
import Foundation
import Glibc

/// Runs one check in a child process and reports what happened, whatever the implementation does.
///
/// The runner becomes a child subreaper, so every process the check creates, even one that calls
/// `setsid` and double-forks, is re-parented here when its parent ends. The check process runs in
/// its own process group under a time limit; afterwards every descendant still running is killed
/// and every zombie reaped. The check's TMPDIR is a folder of its own, removed afterwards with
/// whatever is in it, even when the check process ended before its own clean-up ran. Nothing
/// outlives the runner.
enum Sandbox {
    static func run(_ check: Check, timeout: Double) -> Outcome {
        let started = Date()
        Watching.becomeSubreaper()
        let scratch: TemporaryFolder
        do throws(Errno) { scratch = try TemporaryFolder("check-\(check.rule)") } catch {
            return Outcome(rule: check.rule, status: .crashed, message: "the runner could not make a temporary folder: \(error)")
        }
        defer { scratch.remove() }
        setenv("TMPDIR", scratch.path, 1)
        let results = cs_memfd_create("results")
        _ = fcntl(results, F_SETFL, O_APPEND)  // writers from several threads and processes append whole lines
        let output = cs_memfd_create("output")
        let pid = fork()
        if pid == 0 { CheckProcess.run(check, results: results, output: output) }
        guard pid > 0 else {
            return Outcome(rule: check.rule, status: .crashed, message: "the runner could not fork: \(Errno.current)")
        }
        let timedOut = !Watching.awaitExit(pid, seconds: timeout)
        if timedOut {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        var status: CInt = 0
        _ = valueOrErrno { waitpid(pid, &status, 0) }
        let killed = Watching.killDescendants()
        let written = records(in: results)
        var outcome = verdict(check.rule, records: written, status: status, timedOut: timedOut,
                              timeout: timeout)
        outcome.output = excerpt(of: output)
        let notes = written.filter { $0.kind == .note }.compactMap(\.text)
        outcome.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        if outcome.status == .crashed, let trap = fatalError(in: outcome.output) {
            outcome.message = (outcome.message ?? "") + ": " + trap
        }
        outcome.killedLeftovers = killed
        outcome.seconds = Date().timeIntervalSince(started)
        return outcome
    }

    /// Decides the outcome from what the check process wrote and how it ended.
    private static func verdict(_ rule: String, records: [ResultChannel.Record], status: CInt, timedOut: Bool,
                                timeout: Double) -> Outcome {
        let lastStep = records.last { $0.kind == .step }?.text
        let during = lastStep.map { " while \($0)" } ?? ""
        if let missing = records.first(where: { $0.kind == .notImplemented }) {
            return Outcome(rule: rule, status: .notImplemented, message: "not implemented: \(missing.text ?? "?")")
        }
        if timedOut {
            return Outcome(rule: rule, status: .timedOut,
                           message: "no result after \(timeout.formatted()) s\(during)")
        }
        if let result = records.last(where: { $0.kind == .result }), let verdict = result.status {
            var outcome = Outcome(rule: rule, status: verdict, message: result.text, expected: result.expected,
                                  actual: result.actual)
            outcome.leakedDescriptors = result.leakedDescriptors ?? []
            outcome.unreapedChildren = result.unreapedChildren ?? 0
            return outcome
        }
        let ending = switch Children.decode(status) {
        case .signaled(let signal, _)?: "was killed by \(signal)"
        case .exited(let code)?: "exited with code \(code) before reporting a result"
        default: "ended with status \(status)"
        }
        return Outcome(rule: rule, status: .crashed, message: "the check process \(ending)\(during)")
    }

    private static func records(in fd: CInt) -> [ResultChannel.Record] {
        let decoder = JSONDecoder()
        return Watching.contents(of: fd).split(separator: "\n").compactMap {
            try? decoder.decode(ResultChannel.Record.self, from: Data($0.utf8))
        }
    }

    /// What the check process printed, or nil when it printed nothing; when it printed more than
    /// 4000 characters, the first and last 2000 (a crash's message comes first, its backtrace after).
    private static func excerpt(of fd: CInt) -> String? {
        let text = Watching.contents(of: fd)
        if text.isEmpty { return nil }
        if text.count <= 4000 { return text }
        return String(text.prefix(2000)) + "\n[...]\n" + String(text.suffix(2000))
    }

    /// The line a Swift runtime trap prints ("Fatal error: ..."), if the output has one.
    private static func fatalError(in output: String?) -> String? {
        output?.split(separator: "\n").first { $0.contains("Fatal error:") }
            .map { String($0.trimmingCharacters(in: .whitespaces)) }
    }
}
