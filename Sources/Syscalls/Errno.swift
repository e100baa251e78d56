import CSystem
import Glibc

/// An error number from the C library, thrown by every wrapper in this project (errno(3)).
///
/// `catch Errno.noChildProcess` works because `Errno` is `Equatable` and has a `~=` for errors.
/// Python raises the same numbers as `OSError` subclasses (`ChildProcessError` for `ECHILD`).
public struct Errno: Error, RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The C value, e.g. `ECHILD` is 10 on Linux.
    public let rawValue: CInt

    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// The error number the last failed C call left in `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    /// `ENOENT`: no such file or directory.
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// `ESRCH`: no such process.
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    /// `EINTR`: a signal handler ran while the call was blocked.
    public static let interrupted = Errno(rawValue: EINTR)
    /// `ECHILD`: no child process to wait for (Python's `ChildProcessError`).
    public static let noChildProcess = Errno(rawValue: ECHILD)
    /// `EAGAIN`: try again; fork(2) says so when a process limit is reached.
    public static let resourceTemporarilyUnavailable = Errno(rawValue: EAGAIN)
    /// `EINVAL`: an argument is invalid.
    public static let invalidArgument = Errno(rawValue: EINVAL)
    /// `EPERM`: the operation needs a privilege the process lacks.
    public static let operationNotPermitted = Errno(rawValue: EPERM)
    /// `EACCES`: permission denied; setpriority(2) says so when a nice value may not be lowered.
    public static let permissionDenied = Errno(rawValue: EACCES)

    /// The C name and the C library's message, e.g. `ECHILD (No child processes)`.
    public var description: String {
        let name = cs_errno_name(rawValue).map { String(cString: $0) } ?? "errno \(rawValue)"
        return "\(name) (\(String(cString: strerror(rawValue))))"
    }

    /// Lets `catch Errno.noChildProcess` match a thrown `Errno`.
    public static func ~= (pattern: Errno, error: any Error) -> Bool {
        (error as? Errno) == pattern
    }
}
