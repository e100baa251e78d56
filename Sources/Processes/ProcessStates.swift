import Conformance

/// The reference of reading a process's state as `ps` shows it (`psutil.Process(pid).status()`,
/// `.nice()`, `.num_threads()`) and of the STAT column `ps -o stat` makes of it.
public struct ProcessStates: ProcessStatesAPI {
    public init() {}

    /// Reads proc(5)'s `/proc/<pid>/stat` fields 3 (state), 4 (ppid), 5 (pgrp), 6 (session),
    /// 8 (tpgid), 19 (nice) and 20 (num_threads), and `VmLck` of `/proc/<pid>/status`.
    /// `ESRCH` when there is no such process.
    public func status(of pid: ProcessID) throws(Errno) -> ProcessStatus {
        let stat = try ProcStat(of: pid)
        return ProcessStatus(
            pid: pid, name: stat.name, state: try stat.state(), parent: ProcessID(rawValue: try stat.integer(4)),
            processGroup: try stat.integer(5), session: try stat.integer(6), terminalForegroundGroup: try stat.integer(8),
            nice: try stat.integer(19), threads: try stat.integer(20), lockedKiB: try lockedKiB(of: pid))
    }

    /// The letters procps-ng's `pr_stat` (ps/output.c) prints, in its order: the state, `<` (nice
    /// below 0) or `N` (above 0), `L` (locked memory), `s` (session leader: the session is its
    /// pid), `l` (more than one thread), `+` (its group is the terminal's foreground group).
    public func statColumn(_ status: ProcessStatus) -> String {
        var column = status.state.rawValue
        if status.nice < 0 { column += "<" } else if status.nice > 0 { column += "N" }
        if status.lockedKiB > 0 { column += "L" }
        if status.session == status.pid.rawValue { column += "s" }
        if status.threads > 1 { column += "l" }
        if status.terminalForegroundGroup == status.processGroup { column += "+" }
        return column
    }

    /// The `VmLck:` line of `/proc/<pid>/status`, e.g. `VmLck:\t       4 kB`; a zombie has no memory
    /// and no such line: 0.
    private func lockedKiB(of pid: ProcessID) throws(Errno) -> Int {
        let status = try readSmallFile("/proc/\(pid.rawValue)/status")
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmLck:") }) else { return 0 }
        let words = line.dropFirst("VmLck:".count).split { $0 == " " || $0 == "\t" }
        guard words.count == 2, words[1] == "kB", let kib = Int(words[0]) else { throw Errno.invalidArgument }
        return kib
    }
}
