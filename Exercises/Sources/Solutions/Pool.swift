import Conformance

/// A process pool: `multiprocessing.Pool` (course: 进程池实现, day2/pool.py).
///
/// Rules POOL-1 ... POOL-10 (RULES.md). Grade just these: `make grade RULES=pool`.
/// Hints: fork the workers in `init`, so they inherit `work`; send inputs and outputs through
/// pipes (`JSONEncoder` is fine for a start); remember which worker runs which task, so that a
/// worker's death can be pinned on its task.
public final class StudentPool: ProcessPool {
    public init(processes: Int?, work: @escaping (PoolTask) throws -> Int) throws(PoolError) {}

    public var processes: Int { notImplemented() }

    public func applyAsync(_ input: PoolTask) throws(PoolError) -> StudentAsyncResult { notImplemented() }
    public func map(_ inputs: [PoolTask]) throws(PoolError) -> [Int] { notImplemented() }
    public func close() { notImplemented() }
    public func join() throws(PoolError) { notImplemented() }
    public func terminate() { notImplemented() }
}

/// The handle `applyAsync` returns: `AsyncResult`.
public final class StudentAsyncResult: AsyncResultHandle {
    public func get(timeout: Double?) throws(PoolError) -> Int { notImplemented() }
    public var ready: Bool { notImplemented() }
    public func successful() throws(PoolError) -> Bool { notImplemented() }
}

/// Makes `StudentPool`s for the spec: `Pool(processes)`.
public struct StudentPools: PoolAPI {
    public init() {}

    public func pool(processes: Int?, work: @escaping (PoolTask) throws -> Int) throws(PoolError) -> StudentPool {
        try StudentPool(processes: processes, work: work)
    }
}
