import CSystem
import Glibc

/// Processes the checks create and reap themselves, with the C library directly, so that a spec
/// depends only on the one concept it checks (a wait spec does not trust the student's fork).
enum Children {
    /// Forks a child that runs `body` and ends with `_exit` of the code it returns.
    static func fork(_ body: () -> CInt) throws -> ProcessID {
        let pid = Glibc.fork()
        if pid < 0 { throw CheckFailure.setup("fork", .current) }
        if pid == 0 { _exit(body()) }
        return ProcessID(rawValue: pid)
    }

    /// Waits for `pid` to end and decodes its status with the C macros.
    static func reap(_ pid: ProcessID) throws -> WaitStatus {
        var raw: CInt = 0
        _ = try valueOrErrno { Glibc.waitpid(pid.rawValue, &raw, 0) }
            .mapError { CheckFailure.setup("waitpid(\(pid))", $0) }.get()
        return decode(raw)!
    }

    /// `waitpid(pid, WNOHANG)` as the kernel answers it: the pid, 0 for "no change", or the error.
    static func poll(_ pid: ProcessID) -> Result<pid_t, Errno> {
        var raw: CInt = 0
        return valueOrErrno { Glibc.waitpid(pid.rawValue, &raw, WNOHANG) }
    }

    /// The status word decoded with WIFEXITED, WEXITSTATUS ... (the oracle of WAIT-8), or nil for a
    /// word the kernel never produces.
    static func decode(_ raw: CInt) -> WaitStatus? {
        if cs_wifexited(raw) != 0 { return .exited(code: cs_wexitstatus(raw)) }
        if cs_wifsignaled(raw) != 0 {
            return .signaled(Signal(rawValue: cs_wtermsig(raw)), coreDumped: cs_wcoredump(raw) != 0)
        }
        if cs_wifstopped(raw) != 0 { return .stopped(Signal(rawValue: cs_wstopsig(raw))) }
        if cs_wifcontinued(raw) != 0 { return .continued }
        return nil
    }

    /// Sends `signal` to `pid`.
    static func kill(_ pid: ProcessID, _ signal: Signal) throws {
        if Glibc.kill(pid.rawValue, signal.rawValue) != 0 { throw CheckFailure.setup("kill", .current) }
    }

    /// Polls `/proc` until `pid` is in one of `states` (nil: gone), and returns the state it found.
    /// There is no deadline here: the sandbox's time limit ends a check that waits forever.
    static func awaitState(_ pid: ProcessID, in states: Set<Character?>, _ description: String) -> Character? {
        step(description)
        while true {
            let state = ProcFS.stat(pid.rawValue)?.state
            if states.contains(state) { return state }
            usleep(1000)
        }
    }
}
