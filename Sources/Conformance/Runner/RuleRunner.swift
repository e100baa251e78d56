import Foundation
import Glibc

/// The main function of a runner: an executable that declares one spec per concept it implements
/// and checks one rule per invocation, in a sandbox of its own.
///
/// ```swift
/// // Sources/conformance-runner/main.swift
/// import Conformance
/// import Solutions
/// RuleRunner.main([ForkSpec(MyFork()), WaitSpec(MyWait())])
/// ```
///
/// Usage: `runner --list` prints the ids it can check as JSON; `runner --rule ID [--timeout SECONDS]`
/// prints one `Outcome` as JSON. The runner stays single-threaded, so checks may fork freely.
public enum RuleRunner {
    /// The default time limit of one rule, in seconds.
    public static let defaultTimeout = 10.0
    /// The exit code of a process that called `notImplemented()`.
    public static let notImplementedExitCode: CInt = 97

    public static func main(_ specs: [any Spec], arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        switch arguments.first {
        case "--list":
            let ids = specs.flatMap { $0.checks.map(\.rule) }
            printJSON(["rules": ids])
        case "--rule" where arguments.count >= 2:
            guard let timeout = timeout(arguments) else { usage("--timeout needs a positive number of seconds") }
            let id = arguments[1]
            guard let rule = Catalog.rule(id) else { usage("\(id) is not a catalogued rule") }
            let check = specs.lazy.flatMap(\.checks).first { $0.rule == id }
            if let check {
                printJSON(Sandbox.run(check, timeout: timeout))
            } else {
                printJSON(Outcome(rule: id, status: .notImplemented,
                                  message: "this runner declares no implementation of \(rule.concept)"))
            }
        default:
            usage("expected --list or --rule ID")
        }
        exit(0)
    }

    private static func timeout(_ arguments: [String]) -> Double? {
        guard let flag = arguments.firstIndex(of: "--timeout") else { return defaultTimeout }
        guard flag + 1 < arguments.count, let seconds = Double(arguments[flag + 1]), seconds > 0 else { return nil }
        return seconds
    }

    private static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    private static func usage(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("\(problem)\nusage: \(CommandLine.arguments[0]) --list | --rule ID [--timeout SECONDS]\n".utf8))
        exit(64)
    }
}
