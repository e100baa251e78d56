/// A process's state as `ps` shows it (course: 进程状态, 状态查看命令 `ps -aux` STAT 列): the fields
/// of `/proc/<pid>/stat` and `/proc/<pid>/status`, and the STAT string made from them.
///
/// Rules STATE-1 ... STATE-11 in RULES.md; the reference is `Processes.ProcessStates`.
public protocol ProcessStatesAPI {
    /// Reads `/proc/<pid>/stat` and `/proc/<pid>/status` (proc(5)) into a `ProcessStatus`, as
    /// `psutil.Process(pid)` does.
    ///
    /// The name may hold spaces and ')': the fields after it start after the LAST ')'. Throws
    /// `ESRCH` when there is no such process.
    func status(of pid: ProcessID) throws(Errno) -> ProcessStatus
    /// The STAT column `ps -o stat` prints for a process with this status, e.g. `S`, `R+`, `Ss`,
    /// `SNl`, `Z`: the state letter, then `<` (nice below 0) or `N` (above 0), `L` (locked memory),
    /// `s` (session leader), `l` (several threads), `+` (in the terminal's foreground group).
    func statColumn(_ status: ProcessStatus) -> String
}
