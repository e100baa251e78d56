import Conformance
import CSystem
import Glibc

/// A counting semaphore between processes: Python's `multiprocessing.Semaphore(value)` and
/// `BoundedSemaphore(value)` (course: 信号量(信号灯集)).
///
///     let slots = try Semaphore(value: 2)
///     let workers = (0..<5).map { _ in Process(target: { _ = try slots.acquire(); defer { try? slots.release() }; work() }) }
///
/// An unnamed POSIX semaphore (sem_init with pshared = 1) in `SharedMemory`: `sem_trywait` when
/// not waiting, `sem_clockwait` on CLOCK_MONOTONIC with a deadline, `sem_post` to release.
/// CPython uses a named one (sem_open) that it unlinks at once; neither leaves a name behind.
/// A bounded release checks the value and posts under a mutex, so two releases cannot both pass
/// the check (CPython's check and post are two steps).
public final class Semaphore: SemaphoreObject {
    private let memory: SharedMemory
    private let shared: UnsafeMutablePointer<cs_semaphore>
    private let releaseMutex: ProcessMutex

    /// `Semaphore(value)`, or `BoundedSemaphore(value)` when `bounded`.
    public init(value: Int = 1, bounded: Bool = false) throws(SemaphoreError) {
        guard value >= 0 else { throw .negativeValue(value) }
        guard value <= Int(SEM_VALUE_MAX) else { throw .system(Errno(rawValue: EINVAL)) }
        do {
            memory = try SharedMemory(size: MemoryLayout<cs_semaphore>.size)
            shared = memory.base.bindMemory(to: cs_semaphore.self, capacity: 1)
            releaseMutex = try ProcessMutex.initialize(&shared.pointee.release_mutex, recursive: false)
        } catch {
            throw .system(error)
        }
        guard sem_init(&shared.pointee.semaphore, 1, UInt32(value)) == 0 else { throw .system(.current) }
        shared.pointee.bound = bounded ? Int64(value) : -1
    }

    public func acquire(block: Bool = true, timeout: Double? = nil) throws(SemaphoreError) -> Bool {
        let limit = WaitLimit(block: block, timeout: timeout)
        while true {
            let result: CInt
            switch limit {
            case .none: result = sem_trywait(&shared.pointee.semaphore)
            case .forever: result = sem_wait(&shared.pointee.semaphore)
            case .until(let deadline):
                var end = deadline.monotonicTimespec()
                result = cs_sem_clockwait(&shared.pointee.semaphore, CLOCK_MONOTONIC, &end)
            }
            if result == 0 { return true }
            switch Errno.current.rawValue {
            case EINTR: continue
            case EAGAIN, ETIMEDOUT: return false
            default: throw .system(.current)
            }
        }
    }

    public func release() throws(SemaphoreError) {
        try releaseMutex.withLock { () throws(SemaphoreError) in
            if shared.pointee.bound >= 0 && value >= shared.pointee.bound { throw .releasedTooManyTimes }
            guard sem_post(&shared.pointee.semaphore) == 0 else { throw .system(.current) }
        }
    }

    public var value: Int {
        var value: CInt = 0
        sem_getvalue(&shared.pointee.semaphore, &value)
        return Int(value)
    }
}

/// The reference `SemaphoreAPI`.
public struct SemaphoreFactory: SemaphoreAPI {
    public init() {}

    public func semaphore(value: Int, bounded: Bool) throws(SemaphoreError) -> Semaphore {
        try Semaphore(value: value, bounded: bounded)
    }
}
