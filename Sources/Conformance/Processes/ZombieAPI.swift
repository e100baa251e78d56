/// Seeing and avoiding zombies (course: 孤儿和僵尸, 如何避免僵尸进程产生): a process's state as `ps`
/// shows it, the double fork (day1/child.py) and `signal.signal(SIGCHLD, SIG_IGN)`.
///
/// Rules ZOMBIE-1 ... ZOMBIE-6 in RULES.md; the reference is `Processes.Zombies`.
public protocol ZombieAPI {
    /// The state of process `pid`, read from `/proc/<pid>/stat` (what `ps -o stat` shows first).
    ///
    /// Throws `ESRCH` when there is no such process.
    func state(of pid: ProcessID) throws(Errno) -> ProcessState
    /// Runs `work` in a grandchild and returns once the intermediate child is reaped, so the caller
    /// is left with no zombie and the grandchild is adopted by a subreaper or init (二级子进程).
    ///
    /// The grandchild ends with `_exit(0)` after `work` returns.
    func doubleFork(_ work: () -> Void) throws(Errno)
    /// Sets what the process does on `signal` and returns the previous setting (`signal.signal`).
    ///
    /// Only `.default` and `.ignore` can be set; `.handler` is reported when a handler is installed.
    func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition
}
