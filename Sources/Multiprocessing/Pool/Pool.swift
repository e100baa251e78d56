import Conformance
import Glibc

/// A pool of worker processes that run one work function on many inputs: Python's
/// `multiprocessing.Pool` (course: 进程池实现, day2/pool.py).
///
///     let pool = try Pool(processes: 4) { (n: Int) in n * n }
///     let nine = try pool.applyAsync(3).get()
///     let squares = try pool.map(Array(1...100))
///     pool.close()
///     try pool.join()
///
/// The workers are forked when the pool is created and inherit the work function; inputs and
/// outputs travel through a socket pair per worker as `Pickle`d bytes. Workers are reused for many tasks, and a worker
/// that dies is replaced: its task fails with `.workerDied`, the others carry on.
///
/// The pool has no threads of its own: `applyAsync` sends tasks at once while workers have room
/// (8 queued each), and the rest moves whenever the pool is called again (`get`, `ready`, `map`,
/// `join`). Dropping the last reference to a running pool terminates its workers.
public final class Pool<Input: Codable, Output: Codable>: ProcessPool {
    public let processes: Int
    private let engine: PoolEngine<Output>

    /// `Pool(processes)`: nil is one worker per online CPU, as `os.cpu_count()`.
    public init(processes: Int? = nil, work: @escaping (Input) throws -> Output) throws(PoolError) {
        let count = processes ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard count >= 1 else { throw .invalidProcessCount(count) }
        self.processes = count
        var started = 0
        engine = try PoolEngine(processes: count) { (inherited) throws(PoolError) in
            started += 1
            return try Worker(name: "PoolWorker-\(started)", work: work, closing: inherited)
        }
    }

    public func applyAsync(_ input: Input) throws(PoolError) -> AsyncResult<Output> {
        guard engine.state == .running else { throw .notRunning }
        let pickled: [UInt8]
        do {
            pickled = try Pickle.dumps(input)
        } catch {
            throw .notTransferable("the input: \(error)")
        }
        return AsyncResult(engine: engine, submission: engine.submit(pickled))
    }

    /// `map(func, inputs)`: every input is submitted before the first result is awaited.
    public func map(_ inputs: [Input]) throws(PoolError) -> [Output] {
        var handles: [AsyncResult<Output>] = []
        handles.reserveCapacity(inputs.count)
        for input in inputs { handles.append(try applyAsync(input)) }
        var outputs: [Output] = []
        outputs.reserveCapacity(inputs.count)
        for handle in handles { outputs.append(try handle.get()) }
        return outputs
    }

    public func close() { engine.close() }

    public func join() throws(PoolError) {
        switch engine.state {
        case .running: throw .stillRunning
        case .closed: engine.finishAndStop()
        case .terminated: break
        }
    }

    public func terminate() { engine.terminate() }
}

/// The reference `PoolAPI`: makes `Pool`s for the spec.
public struct PoolFactory: PoolAPI {
    public init() {}

    public func pool(processes: Int?, work: @escaping (PoolTask) throws -> Int) throws(PoolError) -> Pool<PoolTask, Int> {
        try Pool(processes: processes, work: work)
    }
}
