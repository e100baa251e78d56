import Glibc

/// The checks of SEM-1 ... SEM-4 against an implementation of `SemaphoreAPI`, with children
/// forked after the semaphore is made, as day2/sem.py does.
public struct SemaphoreSpec<Implementation: SemaphoreAPI>: Spec {
    public static var concept: String { "semaphore" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("SEM-1", acquireAtZeroAndAbove),
            Check("SEM-2", releaseWakesOneWaiter),
            Check("SEM-3", valueCountsEveryProcess),
            Check("SEM-4", negativeAndBoundedValues),
        ]
    }

    private func semaphore(_ value: Int, bounded: Bool = false) throws -> Implementation.Semaphore {
        step("semaphore(value: \(value), bounded: \(bounded))")
        return try implementation.semaphore(value: value, bounded: bounded)
    }

    /// Runs `acquire` and returns its answer and how long it took.
    private func timedAcquire(_ semaphore: Implementation.Semaphore, block: Bool, timeout: Double?) throws -> (Bool, Duration) {
        step("acquire(block: \(block), timeout: \(timeout.map { "\($0)" } ?? "nil"))")
        var answer = false
        var thrown: SemaphoreError?
        let waited = ContinuousClock().measure {
            do throws(SemaphoreError) { answer = try semaphore.acquire(block: block, timeout: timeout) } catch { thrown = error }
        }
        if let thrown { throw CheckFailure("acquire(block: \(block), timeout: \(String(describing: timeout))) threw \(thrown)") }
        return (answer, waited)
    }

    /// SEM-1: at 0, acquire returns false: not blocking with a 2 s timeout before 2 s, with
    /// timeouts 0 and -1, and after at least 0.05 s with a timeout of 0.05. At 2, acquire returns
    /// true twice and the value goes 1, 0; then a third returns false.
    func acquireAtZeroAndAbove() throws {
        let empty = try semaphore(0)
        let (notBlocking, waited) = try timedAcquire(empty, block: false, timeout: 2)
        try expectEqual(notBlocking, false, "acquire(block: false, timeout: 2) at 0")
        try expectTrue(waited < .seconds(2), "acquire(block: false, timeout: 2) waited \(waited): not blocking ignores the timeout")
        for timeout in [0, -1.0] {
            try expectEqual(try timedAcquire(empty, block: true, timeout: timeout).0, false, "acquire(timeout: \(timeout)) at 0")
        }
        let (timedOut, timeoutWaited) = try timedAcquire(empty, block: true, timeout: 0.05)
        try expectEqual(timedOut, false, "acquire(timeout: 0.05) at 0")
        try expectTrue(timeoutWaited >= .milliseconds(50), "acquire(timeout: 0.05) gave up after \(timeoutWaited)")
        try expectEqual(empty.value, 0, "value after the acquires that returned false")

        let two = try semaphore(2)
        try expectEqual(try two.acquire(block: true, timeout: nil), true, "acquire() at 2")
        try expectEqual(two.value, 1, "value after one acquire")
        try expectEqual(try two.acquire(block: false, timeout: nil), true, "acquire(block: false) at 1")
        try expectEqual(two.value, 0, "value after two acquires")
        try expectEqual(try two.acquire(block: false, timeout: nil), false, "acquire(block: false) at 0")
    }

    /// SEM-2: two children sleep in acquire at 0; one release lets exactly one through (it
    /// reports), while the other is still asleep with the value back at 0; a second release lets
    /// the other through.
    func releaseWakesOneWaiter() throws {
        let semaphore = try semaphore(0)
        let ready = try Pipe(), through = try Pipe()
        let waiters = try (Int32(1)...2).map { index in
            try Children.fork {
                ready.write(index)
                guard (try? semaphore.acquire(block: true, timeout: nil)) == true else { return 1 }
                through.write(index)
                return 0
            }
        }
        ready.closeWriteEnd()
        through.closeWriteEnd()
        for _ in waiters { _ = try ready.readInt32("a waiting child ended before reporting") }
        for pid in waiters { _ = Children.awaitState(pid, in: ["S", "Z"], "waiting for both children to sleep in acquire") }
        step("release() once")
        try semaphore.release()
        let first = try through.readInt32("no child got through after one release")
        let other = waiters[first == 1 ? 1 : 0]
        step("checking that the other child is still waiting")
        while true {
            let value = semaphore.value
            let state = ProcFS.stat(other.rawValue)?.state
            try expectTrue(state != "Z" && state != nil, "the other child got through too after a single release")
            if value == 0 && state == "S" { break }
            usleep(1000)
        }
        try semaphore.release()
        try expectEqual(try through.readInt32("the other child did not get through after a second release"), 3 - first,
                        "the second child through")
        for pid in waiters { try expectEqual(try Children.reap(pid), .exited(code: 0), "a waiting child's status") }
    }

    /// SEM-3: at 3, a child acquires twice and releases once: the parent sees 2; the parent
    /// releases: a child sees 3.
    func valueCountsEveryProcess() throws {
        let semaphore = try semaphore(3)
        let user = try Children.fork {
            guard (try? semaphore.acquire(block: true, timeout: nil)) == true,
                  (try? semaphore.acquire(block: true, timeout: nil)) == true,
                  (try? semaphore.release()) != nil else { return 1 }
            return 0
        }
        try expectEqual(try Children.reap(user), .exited(code: 0), "the status of the child that acquired twice and released once")
        try expectEqual(semaphore.value, 2, "value in the parent after the child's two acquires and one release")
        try semaphore.release()
        let reader = try Children.fork { CInt(semaphore.value) }
        try expectEqual(try Children.reap(reader), .exited(code: 3), "value read by a child after the parent's release (its exit code)")
    }

    /// SEM-4: a negative value is refused; a bounded semaphore of 1 refuses a release at 1 and
    /// keeps 1, accepts one after an acquire; an unbounded one goes past its initial value.
    func negativeAndBoundedValues() throws {
        try expectThrows(SemaphoreError.negativeValue(-1), "semaphore(value: -1)") { () throws(SemaphoreError) in
            try implementation.semaphore(value: -1, bounded: false)
        }
        let bounded = try semaphore(1, bounded: true)
        try expectThrows(SemaphoreError.releasedTooManyTimes, "release() of a bounded semaphore at its initial value") {
            () throws(SemaphoreError) in try bounded.release()
        }
        try expectEqual(bounded.value, 1, "value after the refused release")
        try expectEqual(try bounded.acquire(block: false, timeout: nil), true, "acquire(block: false) at 1")
        try bounded.release()
        try expectEqual(bounded.value, 1, "value after acquire and release")
        let releasedByAChild = try Children.fork { (try? bounded.release()) == nil ? 0 : 1 }
        try expectEqual(try Children.reap(releasedByAChild), .exited(code: 0),
                        "the status of a child whose release went past the bound (1: it was accepted)")
        try expectEqual(bounded.value, 1, "value after the child's refused release")
        let unbounded = try semaphore(1)
        try unbounded.release()
        try expectEqual(unbounded.value, 2, "value of an unbounded semaphore of 1 after a release")
    }
}
