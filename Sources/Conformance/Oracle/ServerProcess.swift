import CSystem
import Glibc

/// A server the checks start as a process, as a user would: its first stdout line must be
/// `listening on 127.0.0.1:PORT`. When the check is done with it, whatever happened, it is
/// killed with its child processes (a fork server's) and reaped.
final class ServerProcess {
    let pid: pid_t
    private(set) var port: UInt16 = 0
    private var output: Pipe
    private var reaped = false

    /// Starts `command` and reads its first line within 10 s. Its stdin is /dev/null, or
    /// `input`, a descriptor the check writes to.
    init(_ command: ServerCommand, input: CInt? = nil) throws {
        output = try Pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.writeEnd, 1)
        closeDescriptorsAboveStandard(&actions)
        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, command.executable, &actions, nil, argv, environ)
        if error != 0 { throw CheckFailure("cannot start \(command): \(Errno(rawValue: error))") }
        self.pid = pid
        output.closeWriteEnd()
        let line = try firstLine()
        let prefix = "listening on 127.0.0.1:"
        guard line.hasPrefix(prefix), let port = UInt16(line.dropFirst(prefix.count)), port != 0 else {
            throw CheckFailure("the first line of \(command)", expected: "\"listening on 127.0.0.1:PORT\"", actual: "\"\(line)\"")
        }
        self.port = port
    }

    deinit {
        guard !reaped else { return }
        // Stopped first (state T: a fork under way has finished), it forks no child while its
        // children are killed.
        kill(pid, SIGSTOP)
        let deadline = Deadline(after: 10)
        while let state = ProcFS.stat(pid)?.state, state != "T", state != "Z", !deadline.hasPassed { usleep(1000) }
        let children = ProcFS.children(of: pid).compactMap { child in ProcFS.stat(child).map { (child, $0.startTime) } }
        for (child, _) in children { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        _ = try? Children.reap(ProcessID(rawValue: pid))
        // A killed child ends a moment later; until then the runner, which adopts it, would count
        // it as left running.
        for (child, startTime) in children {
            while let stat = ProcFS.stat(child), stat.startTime == startTime, stat.state != "Z", !deadline.hasPassed {
                usleep(1000)
            }
        }
    }

    /// Sends `signal` and waits up to 10 s for the server to end; its status, or nil if it is
    /// still running (then it is killed).
    func stop(with signal: Int32) throws -> WaitStatus? {
        kill(pid, signal)
        let deadline = Deadline(after: 10)
        while !deadline.hasPassed {
            var raw: CInt = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                reaped = true
                return Children.decode(raw)
            }
            usleep(2000)
        }
        return nil
    }

    /// The first line of the server's stdout, within 10 s.
    private func firstLine() throws -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            // A pipe whose writer ended polls POLLHUP alone once drained (SELECT-4).
            guard LoopbackSocket.await(output.readEnd, POLLIN | POLLHUP, seconds: 10) else {
                throw CheckFailure("the server printed no first line within 10 s")
            }
            guard read(output.readEnd, &byte, 1) == 1 else { throw CheckFailure("the server ended before printing its first line") }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }
}
