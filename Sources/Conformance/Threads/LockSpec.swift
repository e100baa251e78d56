import Glibc

/// The checks of LOCK-1 ... LOCK-7 against an implementation of `LockAPI`. The other threads are
/// the check's own (`CheckThread`), so a lock is checked without trusting any `Thread`.
public struct LockSpec<Implementation: LockAPI>: Spec {
    public static var concept: String { "lock" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("LOCK-1", acquireOfAFreeAndAHeldLock),
            Check("LOCK-2", misuseIsALockError),
            Check("LOCK-3", withLockReleasesHoweverTheBodyEnds),
            Check("LOCK-4", relockingAPlainLockWaits),
            Check("LOCK-5", aReentrantLockCounts),
            Check("LOCK-6", releaseWakesABlockedAcquire),
            Check("LOCK-7", incrementsUnderTheLockAddUp),
        ]
    }

    /// Runs `acquire` on a check thread and returns its answer, error and duration.
    private func acquireElsewhere<Lock: LockObject>(_ lock: Lock, blocking: Bool, timeout: Double?)
        throws -> (answer: Bool?, error: LockError?, waited: Duration) {
        step("acquire(blocking: \(blocking), timeout: \(timeout.map { "\($0)" } ?? "nil")) from another thread")
        var answer: Bool?, error: LockError?, waited = Duration.zero
        let other = try CheckThread {
            waited = ContinuousClock().measure {
                do throws(LockError) { answer = try lock.acquire(blocking: blocking, timeout: timeout) } catch let thrown { error = thrown }
            }
        }
        other.join()
        return (answer, error, waited)
    }

    /// LOCK-1: acquire() of a new lock is true; from another thread, acquire(blocking: false) and
    /// acquire(timeout: 0) are false at once (before a 2 s limit) and acquire(timeout: 0.05) false
    /// after at least 0.05 s; after release, acquire(blocking: false) there is true.
    func acquireOfAFreeAndAHeldLock() throws {
        let lock = implementation.lock()
        try expectEqual(try lock.acquire(blocking: true, timeout: nil), true, "acquire() of a new lock")
        try expectEqual(lock.isLocked, true, "isLocked after acquire()")
        for (blocking, timeout) in [(false, nil), (true, 0.0)] as [(Bool, Double?)] {
            let (answer, error, waited) = try acquireElsewhere(lock, blocking: blocking, timeout: timeout)
            try expectEqual(error, nil, "the error of acquire(blocking: \(blocking), timeout: \(String(describing: timeout)))")
            try expectEqual(answer, false, "acquire(blocking: \(blocking), timeout: \(String(describing: timeout))) of a held lock")
            try expectTrue(waited < .seconds(2), "acquire(blocking: \(blocking), timeout: \(String(describing: timeout))) waited \(waited)")
        }
        let (answer, error, waited) = try acquireElsewhere(lock, blocking: true, timeout: 0.05)
        try expectEqual(error, nil, "the error of acquire(timeout: 0.05)")
        try expectEqual(answer, false, "acquire(timeout: 0.05) of a held lock")
        try expectTrue(waited >= .milliseconds(50), "acquire(timeout: 0.05) gave up after \(waited)")
        try lock.release()
        try expectEqual(lock.isLocked, false, "isLocked after release()")
        try expectEqual(try acquireElsewhere(lock, blocking: false, timeout: nil).answer, true,
                        "acquire(blocking: false) from another thread after release()")
    }

    /// LOCK-2: release of a new lock, a timeout without blocking and a negative timeout are
    /// LockErrors, and leave the lock free.
    func misuseIsALockError() throws {
        let lock = implementation.lock()
        try expectThrows(LockError.notLocked, "release() of a lock nobody holds") { () throws(LockError) in try lock.release() }
        try expectThrows(LockError.timeoutWithoutBlocking, "acquire(blocking: false, timeout: 1)") { () throws(LockError) in
            try lock.acquire(blocking: false, timeout: 1)
        }
        try expectThrows(LockError.negativeTimeout(-2), "acquire(timeout: -2)") { () throws(LockError) in
            try lock.acquire(blocking: true, timeout: -2)
        }
        try expectEqual(lock.isLocked, false, "isLocked after the refused calls")
        try expectEqual(try lock.acquire(blocking: false, timeout: nil), true, "acquire(blocking: false) after them")
        try lock.release()
        try expectThrows(LockError.notLocked, "a second release() after one acquire") { () throws(LockError) in try lock.release() }
    }

    private struct BodyError: Error, Equatable {}

    /// LOCK-3: inside withLock the lock is held; after the body returns, and after it throws (the
    /// error comes out), it is free.
    func withLockReleasesHoweverTheBodyEnds() throws {
        let lock = implementation.lock()
        step("withLock { isLocked }")
        let inside = lock.withLock { lock.isLocked }
        try expectEqual(inside, true, "isLocked inside withLock")
        try expectEqual(lock.isLocked, false, "isLocked after withLock returned")
        try expectThrows(BodyError(), "withLock whose body throws") { () throws(BodyError) in
            try lock.withLock { () throws(BodyError) in throw BodyError() }
        }
        try expectEqual(lock.isLocked, false, "isLocked after withLock's body threw")
    }

    /// LOCK-4: a thread holding a plain lock: its acquire(timeout: 0.05) is false; its acquire()
    /// sleeps until the check's main thread releases the lock, then returns true.
    func relockingAPlainLockWaits() throws {
        let lock = implementation.lock()
        let announce = try Pipe()
        var again: Bool?, forever: Bool?
        let holder = try CheckThread {
            _ = try? lock.acquire(blocking: true, timeout: nil)
            again = try? lock.acquire(blocking: true, timeout: 0.05)
            announce.write(1)
            forever = try? lock.acquire(blocking: true, timeout: nil)
        }
        _ = try announce.readInt32("the holding thread ended before its second acquire")
        try expectTrue(holder.awaitAsleep("waiting for the holder to sleep in its own acquire()"),
                       "acquire() of a plain lock by its holder returned instead of waiting")
        step("release() from the check's main thread")
        try lock.release()
        holder.join()
        try expectEqual(again, false, "acquire(timeout: 0.05) by the thread holding the lock")
        try expectEqual(forever, true, "the holder's acquire() once another thread released the lock")
    }

    /// LOCK-5: the main thread acquires a reentrant lock twice; another thread can neither acquire
    /// nor release it; after one release it is still held, after two it is free.
    func aReentrantLockCounts() throws {
        let lock = implementation.reentrantLock()
        try expectEqual(try lock.acquire(blocking: true, timeout: nil), true, "the first acquire()")
        try expectEqual(try lock.acquire(blocking: true, timeout: nil), true, "a second acquire() by the owner")
        try expectEqual(try acquireElsewhere(lock, blocking: false, timeout: nil).answer, false,
                        "acquire(blocking: false) from another thread while held twice")
        var foreignRelease: LockError?
        try CheckThread { do throws(LockError) { try lock.release() } catch { foreignRelease = error } }.join()
        try expectEqual(foreignRelease, .notOwner, "release() from a thread that does not hold it")
        try lock.release()
        try expectEqual(try acquireElsewhere(lock, blocking: false, timeout: nil).answer, false,
                        "acquire(blocking: false) from another thread after one of two releases")
        try lock.release()
        var afterward: (Bool?, LockError?)
        try CheckThread {
            afterward.0 = try? lock.acquire(blocking: false, timeout: nil)
            do throws(LockError) { try lock.release() } catch { afterward.1 = error }
        }.join()
        try expectEqual(afterward.0, true, "acquire(blocking: false) from another thread after both releases")
        try expectEqual(afterward.1, nil, "that thread's own release()")
        try expectThrows(LockError.notOwner, "release() by the main thread, which no longer holds it") {
            () throws(LockError) in try lock.release()
        }
    }

    /// LOCK-6: a thread sleeps in acquire() of a held lock; the holder releases; the thread gets it.
    func releaseWakesABlockedAcquire() throws {
        let lock = implementation.lock()
        _ = try lock.acquire(blocking: true, timeout: nil)
        let announce = try Pipe()
        var got: Bool?
        let waiter = try CheckThread {
            announce.write(1)
            got = try? lock.acquire(blocking: true, timeout: nil)
        }
        _ = try announce.readInt32("the waiting thread ended before acquiring")
        try expectTrue(waiter.awaitAsleep("waiting for the thread to sleep in acquire()"),
                       "acquire() of a held lock returned instead of waiting")
        step("release(), then waiting for the sleeping thread to get the lock")
        try lock.release()
        waiter.join()
        try expectEqual(got, true, "the woken thread's acquire()")
        try expectEqual(lock.isLocked, true, "isLocked: the woken thread holds it")
    }

    /// A counter the check's threads share, changed only under the lock.
    private final class Counter: @unchecked Sendable { var value = 0 }

    /// LOCK-7: 4 threads, started together at a barrier, each add 1 to a counter 5000 times under
    /// the lock: read, now and then sleep 0.2 ms, write back. Without mutual exclusion the others,
    /// running meanwhile, increment during each of those 80 sleeps and their updates are lost; with
    /// it they wait. (Started one after another, a thread could finish its 5000 before the next
    /// began, and nothing would overlap.)
    func incrementsUnderTheLockAddUp() throws {
        let lock = implementation.lock()
        let counter = Counter()
        let start = try Barrier(4)
        step("4 threads × 5000 increments inside withLock")
        let threads = try (0..<4).map { _ in
            try CheckThread {
                start.wait()
                for n in 0..<5000 {
                    lock.withLock {
                        let read = counter.value
                        if n % 256 == 0 { usleep(200) }
                        counter.value = read + 1
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        try expectEqual(counter.value, 20000, "the counter after 4 × 5000 increments under the lock")
    }
}
