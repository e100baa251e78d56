import Conformance
import CSystem
import Glibc

/// A pthread mutex that lives in `SharedMemory`, so processes lock it, not just threads.
///
/// `PTHREAD_PROCESS_SHARED` lets any process mapping it use it. `PTHREAD_MUTEX_ROBUST` keeps a
/// process that dies holding it from locking everyone out: the next `lock` gets `EOWNERDEAD`,
/// marks it consistent and goes on (what the dead process was writing may be half done).
struct ProcessMutex {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Initialises the mutex at `mutex`; a recursive one can be locked again by its holder, as
    /// Python's `RLock`, the lock of a `Value`.
    static func initialize(_ mutex: UnsafeMutablePointer<pthread_mutex_t>, recursive: Bool) throws(Errno) -> ProcessMutex {
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        defer { pthread_mutexattr_destroy(&attributes) }
        pthread_mutexattr_setpshared(&attributes, Int32(PTHREAD_PROCESS_SHARED))
        pthread_mutexattr_setrobust(&attributes, Int32(PTHREAD_MUTEX_ROBUST))
        if recursive { pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE)) }
        let result = pthread_mutex_init(mutex, &attributes)
        guard result == 0 else { throw Errno(rawValue: result) }
        return ProcessMutex(mutex: mutex)
    }

    /// Locks, trying a few times before sleeping: the holders here keep it for a few copies, so a
    /// contender that sleeps at once (a futex wait, then a wake-up syscall in the unlocker) pays
    /// far more than the wait. Glibc's adaptive mutexes do the same, but not for robust ones.
    func lock() {
        for _ in 0..<ProcessMutex.tries {
            switch pthread_mutex_trylock(mutex) {
            case 0: return
            case EOWNERDEAD: pthread_mutex_consistent(mutex); return
            default: cs_cpu_relax()
            }
        }
        if pthread_mutex_lock(mutex) == EOWNERDEAD { pthread_mutex_consistent(mutex) }
    }

    private static let tries = 100

    func unlock() { pthread_mutex_unlock(mutex) }

    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A pthread condition variable in `SharedMemory`, waited on with a `ProcessMutex` held, on the
/// monotonic clock (a change of the wall clock does not move its deadlines).
struct ProcessCondition {
    let condition: UnsafeMutablePointer<pthread_cond_t>

    static func initialize(_ condition: UnsafeMutablePointer<pthread_cond_t>) throws(Errno) -> ProcessCondition {
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        defer { pthread_condattr_destroy(&attributes) }
        pthread_condattr_setpshared(&attributes, Int32(PTHREAD_PROCESS_SHARED))
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        let result = pthread_cond_init(condition, &attributes)
        guard result == 0 else { throw Errno(rawValue: result) }
        return ProcessCondition(condition: condition)
    }

    /// Releases `mutex`, sleeps until signalled (or the deadline, if any, passes), and locks it
    /// again. It may also return early: callers check their condition in a loop.
    func wait(_ mutex: ProcessMutex, until deadline: Deadline?) {
        let result: CInt
        if let deadline {
            var end = deadline.monotonicTimespec()
            result = pthread_cond_timedwait(condition, mutex.mutex, &end)
        } else {
            result = pthread_cond_wait(condition, mutex.mutex)
        }
        if result == EOWNERDEAD { pthread_mutex_consistent(mutex.mutex) }
    }

    /// Wakes one waiter.
    func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}
