import Glibc

/// What `ps` knows about one process, read from `/proc/<pid>/stat` and `/proc/<pid>/status`
/// (proc(5)): the fields behind the STAT column and the process tree.
public struct ProcessStatus: Hashable, Codable, Sendable {
    /// The process id.
    public var pid: ProcessID
    /// The command name (`comm`, at most 15 bytes), as `ps -o comm` and `pstree` show it.
    public var name: String
    /// The state letter, the first letter of STAT.
    public var state: ProcessState
    /// The parent's pid (`PPID`).
    public var parent: ProcessID
    /// The process group (`PGID`).
    public var processGroup: pid_t
    /// The session: the pid of the session leader (`SID`).
    public var session: pid_t
    /// The foreground process group of the controlling terminal (`TPGID`), or -1 without a terminal.
    public var terminalForegroundGroup: pid_t
    /// The nice value, from -20 (most favoured) to 19 (`NI`).
    public var nice: Int32
    /// How many threads the process has (`NLWP`).
    public var threads: Int
    /// Memory locked with mlock(2), in KiB (`VmLck` in /proc/<pid>/status; 0 for a zombie).
    public var lockedKiB: Int

    public init(pid: ProcessID, name: String, state: ProcessState, parent: ProcessID, processGroup: pid_t,
                session: pid_t, terminalForegroundGroup: pid_t, nice: Int32, threads: Int, lockedKiB: Int) {
        self.pid = pid
        self.name = name
        self.state = state
        self.parent = parent
        self.processGroup = processGroup
        self.session = session
        self.terminalForegroundGroup = terminalForegroundGroup
        self.nice = nice
        self.threads = threads
        self.lockedKiB = lockedKiB
    }
}

extension ProcessStatus: CustomStringConvertible {
    /// The fields as `ps -o pid,comm,stat,ppid,pgid,sid,tpgid,ni,nlwp` would list them, with VmLck.
    public var description: String {
        "pid \(pid) (\(name)) \(state.rawValue) ppid \(parent) pgid \(processGroup) sid \(session) "
            + "tpgid \(terminalForegroundGroup) nice \(nice) threads \(threads) locked \(lockedKiB) kB"
    }
}
