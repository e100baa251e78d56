/// Reaping children: Python's `os.wait()`, `os.waitpid(pid, options)` and the `os.WIF...` decoders
/// (course: 孤儿和僵尸, 使用wait函数处理子进程退出).
///
/// Rules WAIT-1 ... WAIT-10 in RULES.md; the reference is `Processes.Wait`.
public protocol WaitAPI {
    /// Blocks until any child ends and reaps it (`os.wait()`, wait(2)).
    ///
    /// Throws `ECHILD` when there is no child; retries when a signal handler interrupts it (PEP 475).
    func wait() throws(Errno) -> ChildStatus
    /// Waits for the child `pid` (or `.anyChild`) to change state (`os.waitpid`, waitpid(2)).
    ///
    /// With `.noHang` it returns `nil` when no child has changed state yet, where Python returns
    /// `(0, 0)`. Throws `ECHILD` when `pid` is not an unreaped child of the caller.
    func waitpid(_ pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus?
    /// Decodes a raw status word as `os.WIFEXITED`, `os.WEXITSTATUS`, `os.WIFSIGNALED` ... do.
    func decode(_ rawStatus: CInt) -> WaitStatus
}
