/// What a process does when a signal arrives, as `signal.signal` sets it in Python.
public enum SignalDisposition: Hashable, Codable, Sendable {
    /// `SIG_DFL`: the signal's default action (for `SIGCHLD`: nothing, and children become zombies).
    case `default`
    /// `SIG_IGN`: discard the signal (for `SIGCHLD`: the kernel also reaps exited children).
    case ignore
    /// A handler function is installed (Python's callable handler).
    case handler
}
