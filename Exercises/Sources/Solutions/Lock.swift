import Conformance

/// A lock between threads: `threading.Lock` and `threading.RLock` (course: 同步互斥, 线程锁 Lock).
///
/// Rules LOCK-1 ... LOCK-7 (RULES.md). Grade just these: `make grade RULES=lock`.
/// Hints: a plain lock has no owner (any thread may release it); a reentrant one records its
/// owner (`pthread_self()`) and a count. A futex word (0 free, 1 held, 2 held with sleepers) is
/// what pthread_mutex is made of; a pthread mutex and condition variable will do too.
public final class StudentLock: LockObject {
    public func acquire(blocking: Bool, timeout: Double?) throws(LockError) -> Bool { notImplemented() }
    public func release() throws(LockError) { notImplemented() }
    public var isLocked: Bool { notImplemented() }
    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        notImplemented()
    }
}

/// Makes locks for the spec: `Lock()` and `RLock()`.
public struct StudentLocks: LockAPI {
    public init() {}

    public func lock() -> StudentLock { notImplemented() }
    public func reentrantLock() -> StudentLock { notImplemented() }
}

/// An event: `threading.Event` (course: 线程Event). Rules EVENT-1 ... EVENT-3; `make grade RULES=event`.
/// Hint: `set()` must wake every waiter (broadcast, not signal).
public final class StudentEvent: EventObject {
    public func set() { notImplemented() }
    public func clear() { notImplemented() }
    public var isSet: Bool { notImplemented() }
    public func wait(timeout: Double?) -> Bool { notImplemented() }
}

/// Makes events for the spec.
public struct StudentEvents: EventAPI {
    public init() {}

    public func event() -> StudentEvent { notImplemented() }
}
