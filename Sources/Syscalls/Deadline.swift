import Glibc

/// A moment on the monotonic clock, for calls that wait "at most `timeout` seconds" (Python's
/// `timeout=` arguments). Waits that wake early or are interrupted (EINTR) wait again for what is
/// left, so a call gives up after at least its timeout, never before.
///
/// A plain count of CLOCK_MONOTONIC nanoseconds, so a lock's slow path costs no runtime type
/// lookups (which take the Swift runtime's locks: unsafe in a forked child).
public struct Deadline: Sendable {
    private let end: UInt64

    /// `seconds` from now; 0 or negative is now. Beyond 30 years is treated as 30 years.
    public init(after seconds: Double) {
        end = Deadline.now() + UInt64(min(max(0, seconds), 1e9) * 1e9)
    }

    public var hasPassed: Bool { Deadline.now() >= end }

    /// What is left, rounded up to whole milliseconds, as poll(2) and epoll_wait(2) take it.
    public func remainingMilliseconds() -> Int32 {
        let now = Deadline.now()
        guard now < end else { return 0 }
        return Int32(min((end - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    /// What is left as a relative timespec (futex(2)), or nil once it has passed.
    public func remaining() -> timespec? {
        let now = Deadline.now()
        guard now < end else { return nil }
        let left = end - now
        return timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
    }

    /// The deadline on CLOCK_MONOTONIC, as pthread_cond_timedwait and sem_clockwait take it.
    public func monotonicTimespec() -> timespec {
        timespec(tv_sec: Int(end / 1_000_000_000), tv_nsec: Int(end % 1_000_000_000))
    }

    private static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
