/// A counting semaphore shared between processes: Python's `multiprocessing.Semaphore(value)` and
/// `BoundedSemaphore(value)` (course: 信号量(信号灯集), day2/sem.py).
///
/// Rules SEM-1 ... SEM-4 in RULES.md; the reference is `Multiprocessing.Semaphore`.
public protocol SemaphoreObject: AnyObject {
    /// `acquire(block, timeout)`: takes one and returns true; at 0, returns false at once when
    /// not blocking (the timeout is then ignored) or when `timeout` is 0 or less, otherwise waits
    /// for a release, at most `timeout` seconds (nil: no limit).
    func acquire(block: Bool, timeout: Double?) throws(SemaphoreError) -> Bool
    /// `release()`: gives one back and wakes one waiter; a bounded semaphore refuses to go past
    /// its initial value.
    func release() throws(SemaphoreError)
    /// `get_value()`.
    var value: Int { get }
}

/// Makes semaphores.
public protocol SemaphoreAPI {
    associatedtype Semaphore: SemaphoreObject
    /// `Semaphore(value)`, or `BoundedSemaphore(value)` when `bounded`.
    func semaphore(value: Int, bounded: Bool) throws(SemaphoreError) -> Semaphore
}

/// What a semaphore reports.
public enum SemaphoreError: Error, Equatable, CustomStringConvertible {
    /// A negative initial value (Python: OSError EINVAL).
    case negativeValue(Int)
    /// A bounded semaphore released past its initial value (Python: ValueError "semaphore or
    /// lock released too many times").
    case releasedTooManyTimes
    /// Another system error.
    case system(Errno)

    public var description: String {
        switch self {
        case .negativeValue(let value): "a semaphore's value must be 0 or more, not \(value)"
        case .releasedTooManyTimes: "semaphore released too many times"
        case .system(let errno): "a system call failed: \(errno)"
        }
    }
}
