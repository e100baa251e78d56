import CSystem
import Glibc

/// An interactive program the checks drive as a person at a terminal would: it runs with a
/// pseudo-terminal's slave side as its stdin, stdout and stderr (posix_openpt(3), Python's
/// `pty.openpty()`), and the check types on the master side and reads what the program shows.
///
/// The terminal keeps its defaults: canonical mode (the program reads a line once Enter is
/// typed, and Ctrl-D at the start of a line is its end of input), echo on, "\n" shown as
/// "\r\n". The program runs in a process group of its own, which is killed with SIGKILL when the
/// check is done with it, if it has not ended, and the program is reaped.
final class PseudoTerminal {
    let pid: pid_t
    private var master: CInt
    /// The check's own copy of the slave side, kept until the program first shows something: a
    /// master whose slave no process has open reads EIO, which before the program has opened it
    /// would look like its end.
    private var slave: CInt
    /// Everything the program showed so far, and where the next `expect` starts looking.
    private var shown: [UInt8] = []
    private var looked = 0
    private var status: WaitStatus?
    /// Set once reading the master failed: no process has the slave open any more.
    private var closed = false
    private let command: ServerCommand

    /// Starts `command` on a new pseudo-terminal.
    init(_ command: ServerCommand) throws {
        self.command = command
        var ends: (master: CInt, slave: CInt) = (-1, -1)
        guard cs_open_pseudo_terminal(&ends.master, &ends.slave) == 0 else {
            throw CheckFailure.setup("posix_openpt, grantpt, unlockpt, ptsname_r or opening the slave", .current)
        }
        (master, slave) = ends
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: CInt in 0...2 { posix_spawn_file_actions_adddup2(&actions, slave, descriptor) }
        closeDescriptorsAboveStandard(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, command.executable, &actions, &attributes, argv, environ)
        if error != 0 {
            Glibc.close(master)
            Glibc.close(slave)
            throw CheckFailure("cannot start \(command): \(Errno(rawValue: error))")
        }
        self.pid = pid
    }

    deinit {
        if status == nil {
            kill(-pid, SIGKILL)
            _ = try? Children.reap(ProcessID(rawValue: pid))
        }
        Glibc.close(master)
        closeSlave()
    }

    /// Types `text` on the keyboard: "\n" is Enter, "\u{4}" is Ctrl-D.
    func type(_ text: String) throws {
        step("typing \(text.debugDescription) to \(command)")
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
            if count < 0 && Errno.current == .interrupted { continue }
            guard count > 0 else { throw CheckFailure.setup("write to the terminal", .current) }
            bytes = bytes.dropFirst(count)
        }
    }

    /// Waits up to 10 s until the program shows `text` after what earlier expectations found,
    /// and returns what it showed before `text` since then; throws naming `what` if it does not.
    @discardableResult
    func expect(_ text: String, _ what: @autoclosure () -> String) throws -> String {
        step("waiting for \(text.debugDescription) on the terminal of \(command)")
        let wanted = Array(text.utf8)
        let deadline = Deadline(after: 10)
        while true {
            if let found = find(wanted) {
                let before = String(decoding: shown[looked..<found], as: UTF8.self)
                looked = found + wanted.count
                return before
            }
            guard readMore(until: deadline) else {
                let why = closed ? "the program closed its terminal (it ended) before showing" : "did not show within 10 s"
                throw CheckFailure("\(what()): \(text.debugDescription) \(why)",
                                   expected: text.debugDescription,
                                   actual: String(decoding: shown[looked...], as: UTF8.self).debugDescription)
            }
        }
    }

    /// Waits up to 10 s for the program to end, and returns how it ended (nil: it did not).
    func awaitExit() -> WaitStatus? {
        step("waiting for \(command) to end")
        let deadline = Deadline(after: 10)
        while status == nil && !deadline.hasPassed {
            var raw: CInt = 0
            if waitpid(pid, &raw, WNOHANG) == pid { status = Children.decode(raw) } else { usleep(2000) }
        }
        return status
    }

    /// For a failure's message: what the program showed since the last expectation (read for up
    /// to `seconds` more), and whether it has ended.
    func recentOutput(seconds: Double = 0.5) -> String {
        let deadline = Deadline(after: seconds)
        while readMore(until: deadline) {}
        var raw: CInt = 0
        if status == nil && waitpid(pid, &raw, WNOHANG) == pid { status = Children.decode(raw) }
        let text = String(decoding: shown[looked...], as: UTF8.self).debugDescription
        return status.map { "\(text), then it ended: \($0)" } ?? "\(text), still running"
    }

    /// Whether a process of the program's group is still there (its own process, or one it
    /// started and left behind), not yet reaped.
    func groupIsAlive() -> Bool {
        kill(-pid, 0) == 0
    }

    private func find(_ wanted: [UInt8]) -> Int? {
        guard shown.count - looked >= wanted.count else { return nil }
        return (looked...(shown.count - wanted.count)).first { shown[$0..<($0 + wanted.count)].elementsEqual(wanted) }
    }

    /// Reads what the program shows next; false once the deadline passed or the terminal closed
    /// (read(2) on the master fails with EIO once no process has the slave open).
    private func readMore(until deadline: Deadline) -> Bool {
        var entry = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while !deadline.hasPassed {
            guard poll(&entry, 1, deadline.remainingMilliseconds()) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = Glibc.read(master, &buffer, buffer.count)
            if count < 0 && Errno.current == .interrupted { continue }
            guard count > 0 else {
                closed = true
                return false
            }
            shown += buffer[..<count]
            closeSlave()
            return true
        }
        return false
    }

    private func closeSlave() {
        if slave >= 0 { Glibc.close(slave) }
        slave = -1
    }
}
