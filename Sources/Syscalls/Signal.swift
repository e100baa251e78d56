import CSystem
import Glibc

/// A signal number, as `kill(2)` and `signal(7)` name them (Python's `signal.Signals`).
public struct Signal: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The C value, e.g. `SIGKILL` is 9.
    public let rawValue: CInt

    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// `SIGKILL`: cannot be caught, blocked or ignored.
    public static let kill = Signal(rawValue: SIGKILL)
    /// `SIGUSR1`.
    public static let user1 = Signal(rawValue: SIGUSR1)
    /// `SIGTERM`: the polite request to end (`Process.terminate()` in Python).
    public static let terminate = Signal(rawValue: SIGTERM)
    /// `SIGCHLD`: a child stopped, continued or ended.
    public static let child = Signal(rawValue: SIGCHLD)
    /// `SIGCONT`: continue a stopped process.
    public static let `continue` = Signal(rawValue: SIGCONT)
    /// `SIGSTOP`: stop the process; cannot be caught or ignored.
    public static let stop = Signal(rawValue: SIGSTOP)

    /// The C name, e.g. `SIGKILL`.
    public var description: String {
        cs_signal_abbreviation(rawValue).map { "SIG" + String(cString: $0) } ?? "signal \(rawValue)"
    }
}
