import Glibc

/// A process id (`pid_t`), as `getpid(2)` returns it and Python's `os.getpid()` returns an `int`.
public struct ProcessID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The C value; positive for a real process.
    public let rawValue: pid_t

    public init(rawValue: pid_t) { self.rawValue = rawValue }

    /// `-1` as the pid argument of `waitpid(2)`: any child (Python's `os.waitpid(-1, ...)`).
    public static let anyChild = ProcessID(rawValue: -1)

    public var description: String { String(rawValue) }
}
