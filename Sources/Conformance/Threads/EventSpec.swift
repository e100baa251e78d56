import Glibc

/// The checks of EVENT-1 ... EVENT-3 against an implementation of `EventAPI`, with the check's own
/// threads (`CheckThread`) as waiters.
public struct EventSpec<Implementation: EventAPI>: Spec {
    public static var concept: String { "event" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("EVENT-1", setAndClear),
            Check("EVENT-2", waitGivesUpAfterTheTimeout),
            Check("EVENT-3", oneSetWakesEveryWaiter),
        ]
    }

    /// EVENT-1: new: not set; set(): set, wait(timeout: 2) true before 2 s, wait(nil) true;
    /// clear(): not set.
    func setAndClear() throws {
        let event = implementation.event()
        try expectEqual(event.isSet, false, "isSet of a new event")
        event.set()
        try expectEqual(event.isSet, true, "isSet after set()")
        var answer = false
        let waited = ContinuousClock().measure { answer = event.wait(timeout: 2) }
        try expectEqual(answer, true, "wait(timeout: 2) while set")
        try expectTrue(waited < .seconds(2), "wait(timeout: 2) while set took \(waited)")
        try expectEqual(event.wait(timeout: nil), true, "wait(timeout: nil) while set")
        event.set()
        try expectEqual(event.isSet, true, "isSet after a second set()")
        event.clear()
        try expectEqual(event.isSet, false, "isSet after clear()")
        try expectEqual(event.wait(timeout: 0), false, "wait(timeout: 0) after clear()")
    }

    /// EVENT-2: not set: wait(0) and wait(-1) false, wait(0.05) false after at least 0.05 s.
    func waitGivesUpAfterTheTimeout() throws {
        let event = implementation.event()
        for timeout in [0, -1, 0.05] {
            step("wait(timeout: \(timeout)) on an event that is not set")
            var answer = true
            let waited = ContinuousClock().measure { answer = event.wait(timeout: timeout) }
            try expectEqual(answer, false, "wait(timeout: \(timeout)) on an event that is not set")
            try expectTrue(waited >= .milliseconds(Int(max(0, timeout) * 1000)), "wait(timeout: \(timeout)) gave up after \(waited)")
        }
    }

    /// EVENT-3: 3 threads sleep in wait(nil); one set() wakes all 3 and each wait returns true.
    func oneSetWakesEveryWaiter() throws {
        let event = implementation.event()
        let announce = try Pipe(), woken = try Pipe()
        let waiters = try (0..<3).map { _ in
            try CheckThread {
                announce.write(1)
                woken.write(event.wait(timeout: nil) ? 1 : 0)
            }
        }
        for _ in waiters { _ = try announce.readInt32("a waiting thread ended before waiting") }
        for waiter in waiters {
            try expectTrue(waiter.awaitAsleep("waiting for the 3 threads to sleep in wait()"),
                           "wait(timeout: nil) on an event that is not set returned")
        }
        step("set() once, then waiting for the 3 waiters to return")
        event.set()
        for _ in waiters { try expectEqual(try woken.readInt32("a waiter ended without returning"), 1, "what a woken wait returned") }
        for waiter in waiters { waiter.join() }
    }
}
