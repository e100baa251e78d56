/// Locks between the threads of a process: Python's `threading.Lock` and `threading.RLock`
/// (course: 同步互斥, 线程锁 Lock, day3/thread_lock.py).
///
/// Rules LOCK-1 ... LOCK-7 in RULES.md; the reference is `Threading.Lock` and `Threading.RLock`.
/// Deliberate difference: no timeout is `nil`, where Python writes -1.
public protocol LockObject: AnyObject {
    /// `acquire(blocking, timeout)`: true once the lock is this caller's. When it is held: false
    /// at once when not blocking or with a timeout of 0, false after `timeout` seconds, or waits
    /// for ever (nil). A timeout without blocking and a negative one are errors, as in Python.
    func acquire(blocking: Bool, timeout: Double?) throws(LockError) -> Bool
    /// `release()`: a plain lock may be released by any thread, once per acquire; a reentrant
    /// one only by its owner, once per acquire.
    func release() throws(LockError)
    /// `locked()`.
    var isLocked: Bool { get }
    /// `with lock:`: runs `body` holding the lock, and releases it however `body` ends.
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result
}

/// Makes locks.
public protocol LockAPI {
    associatedtype Lock: LockObject
    associatedtype ReentrantLock: LockObject
    /// `threading.Lock()`.
    func lock() -> Lock
    /// `threading.RLock()`: its owner may acquire it again; it counts the acquisitions.
    func reentrantLock() -> ReentrantLock
}

/// Misuse of a lock (Python raises `RuntimeError` or `ValueError` for these).
public enum LockError: Error, Equatable, CustomStringConvertible {
    /// `release()` of a lock nobody holds (Python: RuntimeError "release unlocked lock").
    case notLocked
    /// `release()` of a reentrant lock by a thread that does not hold it (Python: RuntimeError
    /// "cannot release un-acquired lock").
    case notOwner
    /// `acquire(blocking: false, timeout: t)` (Python: ValueError "can't specify a timeout for a
    /// non-blocking call").
    case timeoutWithoutBlocking
    /// A negative timeout (Python: ValueError "timeout value must be positive").
    case negativeTimeout(Double)

    public var description: String {
        switch self {
        case .notLocked: "release of an unlocked lock"
        case .notOwner: "cannot release a reentrant lock this thread does not hold"
        case .timeoutWithoutBlocking: "a timeout cannot be given to a non-blocking acquire"
        case .negativeTimeout(let timeout): "a timeout must be 0 or more, not \(timeout)"
        }
    }
}

/// An event threads wait for: Python's `threading.Event` (course: 线程Event, day3/thread_event.py).
///
/// Rules EVENT-1 ... EVENT-3 in RULES.md; the reference is `Threading.Event`.
public protocol EventObject: AnyObject {
    /// `set()`: sets the flag and wakes every waiter.
    func set()
    /// `clear()`.
    func clear()
    /// `is_set()`.
    var isSet: Bool { get }
    /// `wait(timeout)`: true as soon as the flag is set; false once `timeout` seconds have passed
    /// without it (0 or less: at once; nil: waits for ever).
    func wait(timeout: Double?) -> Bool
}

/// Makes events.
public protocol EventAPI {
    associatedtype Event: EventObject
    /// `threading.Event()`: not set.
    func event() -> Event
}
