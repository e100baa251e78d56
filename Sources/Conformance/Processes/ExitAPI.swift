/// Ending a process: Python's `os._exit(n)` and `sys.exit(n)` / `sys.exit("message")` (course: 进程相关函数).
///
/// Rules EXIT-1 ... EXIT-5 in RULES.md; the reference is `Processes.Exit`.
public protocol ExitAPI {
    /// Ends the process at once with `status` (`os._exit(status)`, _exit(2)): no exit handlers run and
    /// unflushed stdio output is lost. Only `status & 0xff` reaches the parent.
    func exitImmediately(_ status: CInt) -> Never
    /// Ends the process normally (`sys.exit(status)`, exit(3)): exit handlers run and stdio is flushed.
    func exit(_ status: CInt) -> Never
    /// Ends the process like `sys.exit("message")`: the message and a newline go to stderr, status is 1.
    func exit(message: String) -> Never
}
