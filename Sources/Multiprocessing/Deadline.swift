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

    /// The deadline on CLOCK_MONOTONIC, as pthread_cond_timedwait and sem_clockwait take it.
    func monotonicTimespec() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: end).components
        let left = max(0, Int(seconds)) * 1_000_000_000 + (seconds < 0 ? 0 : Int(attoseconds / 1_000_000_000))
        let nanoseconds = now.tv_nsec + left % 1_000_000_000
        return timespec(tv_sec: now.tv_sec + left / 1_000_000_000 + nanoseconds / 1_000_000_000,
                        tv_nsec: nanoseconds % 1_000_000_000)
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
