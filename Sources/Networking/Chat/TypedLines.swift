import Conformance
import Glibc

/// The lines the user types, read from stdin with read(2) (Python's `input()`): each without its
/// "\n". A read that fails, including one a signal handler interrupts (Ctrl-C, Python's
/// KeyboardInterrupt), ends the lines as the end of input does. Swift's `readLine()` cannot
/// serve here: after an interrupted read it spins without reading again.
struct TypedLines {
    private var pending = LineBuffer()
    private var ended = false
    /// Why the lines ended, when a read failed other than by an interruption (EIO: the terminal
    /// was hung up, ...); nil at the end of input or after Ctrl-C.
    private(set) var failure: Errno?

    /// The next line, or nil at the end of input, after an error or an interruption. The last
    /// line counts even without its "\n".
    mutating func next() -> String? {
        while true {
            if let line = pending.nextLine(droppingCR: false) { return line }
            if ended { return pending.takeRest() }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count > 0 { pending.append(buffer[..<count]) } else { ended = true }
            if count < 0 && Errno.current != .interrupted { failure = .current }
        }
    }
}
