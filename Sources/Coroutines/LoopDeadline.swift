/// The two time conversions of an event loop (the hub's and `AsyncLoop`'s): a timeout in seconds
/// as a moment on the monotonic clock, and the wait until the earliest such moment as epoll_wait
/// takes it.
extension ContinuousClock.Instant {
    /// `seconds` from now: 0 or less (or NaN) is now; beyond 30 years is 30 years.
    static func after(seconds: Double) -> ContinuousClock.Instant {
        .now + .nanoseconds(Int64(max(0, min(seconds, 1e9)) * 1e9))
    }

    /// epoll_wait's timeout until the earliest of `deadlines`: whole milliseconds rounded up (so a
    /// wake is never early), 0 once it has passed, -1 (for ever) with none.
    static func millisecondsUntil(earliestOf deadlines: some Sequence<ContinuousClock.Instant>) -> Int32 {
        guard let earliest = deadlines.min() else { return -1 }
        let left = earliest - .now
        if left <= .zero { return 0 }
        return Int32(min(Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15 + 0.999, 1e9))
    }
}
