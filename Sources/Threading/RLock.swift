import Conformance
import CSystem
import Glibc

/// A reentrant lock: Python's `threading.RLock`. Its owner may acquire it again; it is free once
/// released as many times as it was acquired, and only the owner may release it (LOCK-5).
///
/// A `Lock` plus the owner's `pthread_self` and a count. Only the owner writes them; another thread
/// reads the owner only to see that it is not itself, so an atomic word is all it needs.
public final class RLock: LockObject, @unchecked Sendable {
    private let lock = Lock()
    private let owner = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private var count = 0

    public init() { owner.initialize(to: 0) }

    deinit { owner.deallocate() }

    public func acquire(blocking: Bool = true, timeout: Double? = nil) throws(LockError) -> Bool {
        try Lock.check(blocking: blocking, timeout: timeout)
        let me = UInt64(pthread_self())
        if cs_atomic_load_u64(owner) == me {
            count += 1
            return true
        }
        guard try lock.acquire(blocking: blocking, timeout: timeout) else { return false }
        cs_atomic_store_u64(owner, me)
        count = 1
        return true
    }

    public func release() throws(LockError) {
        guard cs_atomic_load_u64(owner) == UInt64(pthread_self()), count > 0 else { throw .notOwner }
        count -= 1
        if count == 0 {
            cs_atomic_store_u64(owner, 0)
            try lock.release()
        }
    }

    public var isLocked: Bool { lock.isLocked }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = try? acquire()
        defer { try? release() }
        return try body()
    }
}

/// The reference `LockAPI`.
public struct LockFactory: LockAPI {
    public init() {}
    public func lock() -> Lock { Lock() }
    public func reentrantLock() -> RLock { RLock() }
}
