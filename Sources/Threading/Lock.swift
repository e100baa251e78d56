import Conformance
import Glibc

/// A lock between threads: Python's `threading.Lock` (course: 线程锁 Lock).
///
///     let lock = Lock()
///     lock.withLock { counter += 1 }
///
/// A futex word, as Ulrich Drepper's "Futexes Are Tricky" (mutex 2): 0 free, 1 held, 2 held with
/// threads asleep waiting for it. Taking a free lock and releasing a lock nobody waits for are one
/// atomic instruction each, without entering the kernel; a waiter sets 2 and sleeps in
/// futex_wait, and a release that finds 2 wakes one sleeper.
/// As in Python, the lock has no owner: any thread may release it (LOCK-4).
public final class Lock: LockObject, @unchecked Sendable {
    private let word = FutexWord(0)

    public init() {}

    public func acquire(blocking: Bool = true, timeout: Double? = nil) throws(LockError) -> Bool {
        try Lock.check(blocking: blocking, timeout: timeout)
        if word.compareExchange(0, 1) == 0 { return true }
        if !blocking || timeout == 0 { return false }
        return wait(until: timeout.map { Deadline(after: $0) })
    }

    /// Takes the lock, waiting at most until `deadline` (nil: for ever); false if it passed.
    func take(until deadline: Deadline?) -> Bool {
        word.compareExchange(0, 1) == 0 || wait(until: deadline)
    }

    /// The slow path, the lock being held when we looked: announce a sleeper (2), then sleep
    /// until a release makes the word 0 and our exchange takes it. (If it was freed in between,
    /// the first exchange already took it.) A waiter that gives up leaves 2 behind, which costs
    /// the next release one needless wake-up, nothing worse.
    private func wait(until deadline: Deadline?) -> Bool {
        var seen = word.exchange(2)
        while seen != 0 {
            guard word.wait(while: 2, until: deadline) else { return false }
            seen = word.exchange(2)
        }
        return true
    }

    public func release() throws(LockError) {
        switch word.exchange(0) {
        case 0: throw .notLocked
        case 2: word.wake(1)
        default: break
        }
    }

    public var isLocked: Bool { word.value != 0 }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = take(until: nil)
        // A plain lock has no owner: if the body let another thread release it, there is
        // nothing left to release, as Python's `with` would complain.
        defer { try? release() }
        return try body()
    }

    /// Python's checks of `(blocking, timeout)`.
    static func check(blocking: Bool, timeout: Double?) throws(LockError) {
        guard let timeout else { return }
        guard blocking else { throw .timeoutWithoutBlocking }
        guard timeout >= 0 else { throw .negativeTimeout(timeout) }
    }
}
