import Conformance

/// The reference `fork`, `getpid` and `getppid` (Python's `os.fork()`, `os.getpid()`, `os.getppid()`).
public struct Fork: ForkAPI {
    public init() {}

    /// Creates a child that is a copy of this process: memory, open descriptors, stdio buffers.
    /// The corresponding C function is `fork(2)`; it returns twice, 0 in the child.
    public func fork() throws(Errno) -> ForkResult {
        // No EINTR retry: fork(2) restarts itself inside the kernel and never reports EINTR.
        let pid = try valueOrErrno(retryOnInterrupt: false) { system_fork() }.get()
        return pid == 0 ? .child : .parent(child: ProcessID(rawValue: pid))
    }

    /// Asks the kernel every time (`getpid(2)`): a pid cached before a fork would be the parent's.
    public func getpid() -> ProcessID { ProcessID(rawValue: system_getpid()) }

    /// The parent now; after the parent ends, the subreaper or init that adopted this process (`getppid(2)`).
    public func getppid() -> ProcessID { ProcessID(rawValue: system_getppid()) }
}
