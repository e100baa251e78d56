import Conformance

/// Your `os.fork()`, `os.getpid()` and `os.getppid()` (course: fork使用, 进程相关函数).
///
/// Rules FORK-1 ... FORK-7 (RULES.md). Grade just these: `make grade RULES=fork`.
/// Start from the C calls: `fork()`, `getpid()`, `getppid()` in Glibc, or the `system_*` shims.
public struct StudentFork: ForkAPI {
    public init() {}

    public func fork() throws(Errno) -> ForkResult { notImplemented() }

    public func getpid() -> ProcessID { notImplemented() }

    public func getppid() -> ProcessID { notImplemented() }
}
