import Conformance
import Glibc
import Threading

/// A lock that is a reference lock (`Lock` or `RLock`) except for the hooks given.
final class MutantLock: LockObject {
    let reference: any LockObject
    var acquiring: ((any LockObject, Bool, Double?) throws(LockError) -> Bool)?
    var releasing: ((any LockObject) throws(LockError) -> Void)?
    var releasesWhenTheBodyThrows = true

    init(_ reference: any LockObject) { self.reference = reference }

    func acquire(blocking: Bool, timeout: Double?) throws(LockError) -> Bool {
        if let acquiring { return try acquiring(reference, blocking, timeout) }
        return try reference.acquire(blocking: blocking, timeout: timeout)
    }
    func release() throws(LockError) {
        if let releasing { try releasing(reference) } else { try reference.release() }
    }
    var isLocked: Bool { reference.isLocked }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = try? acquire(blocking: true, timeout: nil)
        if releasesWhenTheBodyThrows {
            defer { try? release() }
            return try body()
        }
        let result = try body()
        try? release()
        return result
    }
}

/// Makes `MutantLock`s around the reference's, or around another lock given.
struct LockMutant: LockAPI {
    var plain: () -> any LockObject = { Threading.Lock() }
    var change: (MutantLock) -> Void = { _ in }

    func lock() -> MutantLock {
        let lock = MutantLock(plain())
        change(lock)
        return lock
    }

    func reentrantLock() -> MutantLock {
        let lock = MutantLock(RLock())
        change(lock)
        return lock
    }
}

/// A lock whose release forgets to wake a sleeping acquirer: a flag under a pthread mutex, and a
/// condition variable that acquire waits on but release never signals.
final class LostWakeupLock: LockObject, @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var held = false

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    func acquire(blocking: Bool, timeout: Double?) throws(LockError) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while held {
            guard blocking && timeout == nil else { return false }
            pthread_cond_wait(&condition, &mutex)
        }
        held = true
        return true
    }
    func release() throws(LockError) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard held else { throw .notLocked }
        held = false
    }
    var isLocked: Bool { pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }; return held }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = try? acquire(blocking: true, timeout: nil)
        defer { try? release() }
        return try body()
    }
}

/// An event whose set() wakes one waiter (pthread_cond_signal where broadcast is needed).
final class OneWakeEvent: EventObject, @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var flag = false

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    func set() {
        pthread_mutex_lock(&mutex)
        flag = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }
    func clear() { pthread_mutex_lock(&mutex); flag = false; pthread_mutex_unlock(&mutex) }
    var isSet: Bool { pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }; return flag }
    func wait(timeout: Double?) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        // One signal per set: a waiter woken consumes the flag's one wake-up for the others.
        if !flag { pthread_cond_wait(&condition, &mutex) }
        return flag
    }
}

/// An event that is the reference `Event` except for the hooks given.
final class MutantEvent: EventObject {
    let reference = Threading.Event()
    var clears = true
    var waits = true

    func set() { reference.set() }
    func clear() { if clears { reference.clear() } }
    var isSet: Bool { reference.isSet }
    func wait(timeout: Double?) -> Bool { waits ? reference.wait(timeout: timeout) : reference.isSet }
}

struct EventMutant<Made: EventObject>: EventAPI {
    let make: () -> Made
    func event() -> Made { make() }
}

/// Computed, so no mutable global is shared.
var lockMutants: [Mutant] {
    [
        Mutant("lock-timeout-gives-up-at-once", "acquire(timeout: t) of a held lock returns false at once",
               rejectedBy: ["LOCK-1": .fail],
               LockSpec(LockMutant(change: { lock in
                   lock.acquiring = { (reference, blocking, timeout) throws(LockError) in
                       timeout.map { $0 > 0 } == true ? try reference.acquire(blocking: false, timeout: nil)
                           : try reference.acquire(blocking: blocking, timeout: timeout)
                   }
               }))),
        Mutant("lock-release-unlocked-ignored", "release() of a lock nobody holds returns without an error",
               rejectedBy: ["LOCK-2": .fail],
               LockSpec(LockMutant(change: { lock in
                   lock.releasing = { (reference) throws(LockError) in
                       do throws(LockError) { try reference.release() } catch .notLocked {}
                   }
               }))),
        Mutant("lock-with-leaks-on-throw", "withLock releases the lock only when the body returns",
               rejectedBy: ["LOCK-3": .fail],
               LockSpec(LockMutant(change: { lock in lock.releasesWhenTheBodyThrows = false }))),
        Mutant("lock-plain-is-reentrant", "a plain lock lets its holder acquire it again",
               rejectedBy: ["LOCK-4": .fail], LockSpec(LockMutant(plain: { RLock() }))),
        Mutant("rlock-does-not-count", "a reentrant lock is free after one release, however often it was acquired",
               rejectedBy: ["LOCK-5": .fail],
               LockSpec(LockMutant(change: { lock in
                   lock.releasing = { (reference) throws(LockError) in
                       try reference.release()
                       while reference.isLocked, (try? reference.release()) != nil {}
                   }
               }))),
        Mutant("lock-release-does-not-wake", "release frees the lock but wakes no sleeping acquirer",
               rejectedBy: ["LOCK-6": .timedOut], LockSpec(LockMutant(plain: { LostWakeupLock() }))),
        Mutant("lock-does-not-exclude", "acquire returns true at once even when the lock is held",
               rejectedBy: ["LOCK-7": .fail],
               LockSpec(LockMutant(change: { lock in lock.acquiring = { (_, _, _) throws(LockError) in true } }))),
        Mutant("event-clear-ignored", "clear() does nothing, so the event stays set",
               rejectedBy: ["EVENT-1": .fail],
               EventSpec(EventMutant { let event = MutantEvent(); event.clears = false; return event })),
        Mutant("event-wait-does-not-wait", "wait(timeout:) returns at once whether or not the event is set",
               rejectedBy: ["EVENT-2": .fail],
               EventSpec(EventMutant { let event = MutantEvent(); event.waits = false; return event })),
        Mutant("event-set-wakes-one", "set() wakes one waiter (pthread_cond_signal, not broadcast)",
               rejectedBy: ["EVENT-3": .timedOut], EventSpec(EventMutant { OneWakeEvent() })),
    ]
}
