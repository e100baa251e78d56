import Conformance
import Foundation

/// A known-wrong implementation of one concept, and the rules that must reject it.
///
/// A mutant that the spec accepts would show a rule that checks nothing: the project's tests run
/// every mutant against every rule it names and require that outcome.
struct Mutant {
    /// A short name, e.g. `fork-caches-pid`.
    let name: String
    /// The mistake, in a sentence.
    let mistake: String
    /// The rules that reject it, and how: `.fail`, or `.timedOut` for a mutant that hangs.
    let rejectedBy: [String: Outcome.Status]
    /// The concept's spec bound to the mutant.
    let spec: any Spec
    /// The seconds a rule expected to time out is given (the project's tests give 2 s by default):
    /// more when the rule's correct run itself takes seconds, such as an idle time, so that timing
    /// out shows the mutant stuck and not the check still at its work.
    let timeLimit: Double?

    init(_ name: String, _ mistake: String, rejectedBy: [String: Outcome.Status], timeLimit: Double? = nil, _ spec: any Spec) {
        self.name = name
        self.mistake = mistake
        self.rejectedBy = rejectedBy
        self.timeLimit = timeLimit
        self.spec = spec
    }
}

/// `mutant-runner --mutants` lists the mutants as JSON; `mutant-runner --mutant NAME ARGS...` is a
/// rule runner (`--list`, `--rule ID`) for that one mutant; `mutant-runner --echo-server NAME
/// --model M --port N` is the echo server of the mutant NAME, which its spec starts, and
/// `--chat-server NAME ...`, `--chat-client NAME ...` the chat server or client of one, and
/// `--http-server NAME ...` and `--ftp-server NAME ...` the HTTP or FTP server of one.
enum MutantRunner {
    struct Listing: Codable {
        let name: String
        let mistake: String
        let rejectedBy: [String: Outcome.Status]
        let timeLimit: Double?
    }

    static func main(_ mutants: [Mutant]) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--mutants" {
            let listing = mutants.map { Listing(name: $0.name, mistake: $0.mistake, rejectedBy: $0.rejectedBy, timeLimit: $0.timeLimit) }
            let data = try! JSONEncoder().encode(listing)
            print(String(decoding: data, as: UTF8.self))
            exit(0)
        }
        if arguments.first == "--echo-server" { runEchoServerMutant(Array(arguments.dropFirst())) }
        if arguments.first == "--chat-server" || arguments.first == "--chat-client" { runChatMutant(arguments) }
        if arguments.first == "--http-server" { runHTTPServerMutant(Array(arguments.dropFirst())) }
        if arguments.first == "--ftp-server" { runFTPServerMutant(Array(arguments.dropFirst())) }
        guard arguments.count >= 2, arguments[0] == "--mutant",
              let mutant = mutants.first(where: { $0.name == arguments[1] })
        else {
            FileHandle.standardError.write(Data("usage: mutant-runner --mutants | --mutant NAME --list | --rule ID | --echo-server NAME --model M --port N | --chat-server NAME ... | --chat-client NAME ... | --http-server NAME ... | --ftp-server NAME ...\n".utf8))
            exit(64)
        }
        RuleRunner.main([mutant.spec], arguments: Array(arguments.dropFirst(2)))
    }
}
