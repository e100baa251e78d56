import Conformance
import Glibc

/// A moment on the monotonic clock, for calls that wait "at most `timeout` seconds".
struct Deadline {
    private let end: ContinuousClock.Instant

    /// `seconds` from now; 0 or negative is now. Beyond 30 years is treated as 30 years.
    init(after seconds: Double) {
        end = .now + .seconds(min(max(0, seconds), 1e9))
    }

    var hasPassed: Bool { ContinuousClock.now >= end }

    /// What is left, rounded up to whole milliseconds, as poll(2) takes it.
    func remainingMilliseconds() -> Int32 {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: end).components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return milliseconds <= 0 ? 0 : Int32(min(milliseconds.rounded(.up), Double(Int32.max)))
    }

    /// Waits until `descriptor` polls readable (true) or the deadline passes (false); nil waits
    /// without limit. EINTR and early wake-ups poll again for what is left.
    static func awaitReadable(_ descriptor: CInt, until deadline: Deadline?) -> Result<Bool, Errno> {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, deadline?.remainingMilliseconds() ?? -1)
            if ready > 0 { return .success(true) }
            if ready == 0 && deadline?.hasPassed ?? false { return .success(false) }
            if ready < 0 && Errno.current != .interrupted { return .failure(.current) }
        }
    }
}
