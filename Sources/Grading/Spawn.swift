import CSystem
import Conformance
import Foundation
import Glibc

/// A finished child program: how it ended and what it printed.
public struct Finished: Sendable {
    /// How it ended; nil when it was killed at the time limit.
    public let status: WaitStatus?
    public let stdout: String
    public let stderr: String

    /// True when the program exited with code 0.
    public var succeeded: Bool { status == .exited(code: 0) }
}

/// What went wrong starting a program.
public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let error: Errno

    public var description: String { "cannot run \(executable): \(error)" }
}

/// Runs programs the way the graders need: from a multi-threaded process, safely (posix_spawn, never
/// fork), with default signal dispositions and an empty signal mask whatever this process has set,
/// in a process group of their own, stdin from /dev/null, output captured in anonymous files, no
/// other descriptor of this process inherited, and a time limit after which the whole group is killed.
public enum Spawn {
    public static func run(_ executable: String, _ arguments: [String], timeout: Double,
                           environment: [String: String] = [:]) throws(SpawnError) -> Finished {
        let stdout = cs_memfd_create("stdout")
        let stderr = cs_memfd_create("stderr")
        defer {
            close(stdout)
            close(stderr)
        }
        let pid = try start(executable, arguments, stdout: stdout, stderr: stderr, environment: environment)
        let ended = Watching.awaitExit(pid, seconds: timeout)
        if !ended {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        var raw: CInt = 0
        _ = valueOrErrno { waitpid(pid, &raw, 0) }
        let status = ended ? Watching.decode(raw) : nil
        return Finished(status: status, stdout: Watching.contents(of: stdout), stderr: Watching.contents(of: stderr))
    }

    private static func start(_ executable: String, _ arguments: [String], stdout: CInt, stderr: CInt,
                              environment: [String: String]) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        closeDescriptorsAboveStandard(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if error != 0 { throw SpawnError(executable: executable, error: Errno(rawValue: error)) }
        return pid
    }
}

extension Spawn {
    /// The full path of `name` found on `PATH`, as a shell would find it.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
