/// How a child changed state, decoded from the status word of `wait(2)`.
///
/// Python hands the raw word to `os.WIFEXITED`, `os.WEXITSTATUS`, `os.WIFSIGNALED` ...;
/// the Swift API returns one decoded value.
public enum WaitStatus: Hashable, Codable, Sendable, CustomStringConvertible {
    /// It ended normally with this exit code, 0...255 (`WIFEXITED`, `WEXITSTATUS`).
    case exited(code: CInt)
    /// It was killed by a signal (`WIFSIGNALED`, `WTERMSIG`, `WCOREDUMP`).
    case signaled(Signal, coreDumped: Bool)
    /// It was stopped by a signal; reported only with `WaitOptions.untraced` (`WIFSTOPPED`, `WSTOPSIG`).
    case stopped(Signal)
    /// It was resumed by `SIGCONT`; reported only with `WaitOptions.continued` (`WIFCONTINUED`).
    case continued

    public var description: String {
        switch self {
        case .exited(let code): "exited(code: \(code))"
        case .signaled(let signal, let core): "signaled(\(signal), coreDumped: \(core))"
        case .stopped(let signal): "stopped(\(signal))"
        case .continued: "continued"
        }
    }
}

/// A child's pid with its decoded status: what Python's `os.wait()` returns as `(pid, status)`.
public struct ChildStatus: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The child that changed state.
    public let pid: ProcessID
    /// How it changed.
    public let status: WaitStatus

    public init(pid: ProcessID, status: WaitStatus) {
        self.pid = pid
        self.status = status
    }

    public var description: String { "(pid: \(pid), \(status))" }
}
