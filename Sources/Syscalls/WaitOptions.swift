import Glibc

/// The options of `waitpid(2)`; the raw values are the kernel's bits.
public struct WaitOptions: OptionSet, Hashable, Codable, Sendable {
    public let rawValue: CInt

    public init(rawValue: CInt) { self.rawValue = rawValue }

    /// `WNOHANG`: return at once when no child has changed state (Python's `os.WNOHANG`).
    public static let noHang = WaitOptions(rawValue: WNOHANG)
    /// `WUNTRACED`: also report children stopped by a signal (Python's `os.WUNTRACED`).
    public static let untraced = WaitOptions(rawValue: WUNTRACED)
    /// `WCONTINUED`: also report stopped children resumed by `SIGCONT` (Python's `os.WCONTINUED`).
    public static let continued = WaitOptions(rawValue: WCONTINUED)
}
