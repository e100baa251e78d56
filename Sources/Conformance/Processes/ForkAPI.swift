/// Creating processes: Python's `os.fork()`, `os.getpid()` and `os.getppid()` (course: fork使用, 进程相关函数).
///
/// Rules FORK-1 ... FORK-7 in RULES.md; the reference is `Processes.Fork`.
public protocol ForkAPI {
    /// Creates a child process that is a copy of the caller (`os.fork()`, fork(2)).
    ///
    /// Returns `.child` in the new process and `.parent(child:)` in the caller; throws the `Errno`
    /// of a failed fork (e.g. `EAGAIN` when a process limit is reached) and creates no child then.
    func fork() throws(Errno) -> ForkResult
    /// This process's id (`os.getpid()`, getpid(2)).
    func getpid() -> ProcessID
    /// The parent's id (`os.getppid()`, getppid(2)).
    func getppid() -> ProcessID
}
