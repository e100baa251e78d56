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
/// `join`). So a pool, like its handles, is used from one thread at a time. Dropping the last
/// reference to a running pool (and to its handles) terminates its workers.
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
        AsyncResult(engine: engine, submission: try submit([input]))
    }

    /// `map(func, inputs)` with Python's default chunk size.
    public func map(_ inputs: [Input]) throws(PoolError) -> [Output] {
        try map(inputs, chunkSize: nil)
    }

    /// `map(func, inputs, chunksize)`: the inputs travel in chunks, each a single task. Without a
    /// chunk size, as in Python, about four chunks per worker.
    public func map(_ inputs: [Input], chunkSize: Int?) throws(PoolError) -> [Output] {
        let size = max(1, chunkSize ?? (inputs.count + 4 * processes - 1) / (4 * processes))
        var chunks: [Submission<Output>] = []
        for start in stride(from: 0, to: inputs.count, by: size) {
            chunks.append(try submit(Array(inputs[start..<min(start + size, inputs.count)])))
        }
        var outputs: [Output] = []
        outputs.reserveCapacity(inputs.count)
        for chunk in chunks {
            engine.pump(until: { chunk.outcome != nil }, deadline: nil)
            // A chunk without an outcome here means the pool has no worker left.
            outputs += try (chunk.outcome ?? .failure(.terminated)).get()
        }
        return outputs
    }

    private func submit(_ inputs: [Input]) throws(PoolError) -> Submission<Output> {
        guard engine.state == .running else { throw .notRunning }
        do {
            return engine.submit(try Pickle.dumps(inputs))
        } catch {
            throw .notTransferable("the input: \(error)")
        }
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
