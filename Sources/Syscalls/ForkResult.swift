/// What `fork` returns, once in each process.
///
/// Python's `os.fork()` returns `0` in the child and the child's pid in the parent; the Swift API
/// deliberately says which side it is with a case instead of a magic zero.
public enum ForkResult: Hashable, Codable, Sendable {
    /// Returned in the new process.
    case child
    /// Returned in the calling process, with the new process's pid.
    case parent(child: ProcessID)
}
