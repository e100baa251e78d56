import Conformance

/// A semaphore between processes: `multiprocessing.Semaphore(value)` and `BoundedSemaphore`
/// (course: 信号量(信号灯集), day2/sem.py).
///
/// Rules SEM-1 ... SEM-4 (RULES.md). Grade just these: `make grade RULES=semaphore`.
/// Hints: `sem_init(sem, 1, value)` on a `sem_t` in `mmap(MAP_SHARED)` memory is shared by
/// processes; `sem_trywait` fails with EAGAIN at 0, and a deadline wait fails with ETIMEDOUT.
public final class StudentSemaphore: SemaphoreObject {
    public func acquire(block: Bool, timeout: Double?) throws(SemaphoreError) -> Bool { notImplemented() }
    public func release() throws(SemaphoreError) { notImplemented() }
    public var value: Int { notImplemented() }
}

/// Makes semaphores for the spec.
public struct StudentSemaphores: SemaphoreAPI {
    public init() {}

    public func semaphore(value: Int, bounded: Bool) throws(SemaphoreError) -> StudentSemaphore { notImplemented() }
}
