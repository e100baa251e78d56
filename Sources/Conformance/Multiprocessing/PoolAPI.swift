/// The process pool: Python's `multiprocessing.Pool` (course: 进程池实现, day2/pool.py).
///
/// Rules POOL-1 ... POOL-10 in RULES.md; the reference is `Multiprocessing.Pool`.
/// Deliberate difference from Python: a pool is created with its work function, and tasks are the
/// work's inputs. Python pickles the function of every `apply_async(func, args)` by its name; a
/// Swift closure cannot be sent to another process, so the workers inherit it by being forked
/// from the process that holds it.
public protocol ProcessPool: AnyObject {
    associatedtype Input
    associatedtype Output
    associatedtype Handle: AsyncResultHandle where Handle.Value == Output
    /// How many workers the pool keeps (`Pool._processes`).
    var processes: Int { get }
    /// `apply_async(func, args)`: queues the work for `input` and returns at once.
    /// Throws `.notRunning` after `close()` or `terminate()`.
    func applyAsync(_ input: Input) throws(PoolError) -> Handle
    /// `map(func, iterable)`: the outputs in input order; the first failing input's error.
    func map(_ inputs: [Input]) throws(PoolError) -> [Output]
    /// `close()`: no more tasks; the workers end once the submitted ones are done.
    func close()
    /// `join()`: waits for every submitted task and every worker to end. Throws `.stillRunning`
    /// unless `close()` or `terminate()` came first.
    func join() throws(PoolError)
    /// `terminate()`: ends the workers now; unfinished tasks fail with `.terminated`.
    func terminate()
}

/// The result of `applyAsync`: Python's `AsyncResult`.
public protocol AsyncResultHandle<Value>: AnyObject {
    associatedtype Value
    /// `get(timeout)`: the output, the task's error, or `.timeout` once `timeout` seconds have
    /// passed (nil: no limit; 0 or negative: do not wait, as in CPython).
    func get(timeout: Double?) throws(PoolError) -> Value
    /// `ready()`: whether the task has finished.
    var ready: Bool { get }
    /// `successful()`: whether it finished without an error; throws `.notReady` before that.
    func successful() throws(PoolError) -> Bool
}

/// Makes pools for the spec, whose work function reads `PoolTask`s.
public protocol PoolAPI {
    associatedtype Pool: ProcessPool where Pool.Input == PoolTask, Pool.Output == Int
    /// `Pool(processes)`: nil means one worker per CPU (`os.cpu_count()`); 0 or less throws
    /// `.invalidProcessCount`.
    func pool(processes: Int?, work: @escaping (PoolTask) throws -> Int) throws(PoolError) -> Pool
}

/// The inputs the pool spec sends; its work function gives each its meaning.
public enum PoolTask: Codable, Sendable, Equatable {
    /// Returns n * n.
    case square(Int)
    /// Returns n after sleeping `milliseconds`.
    case slow(Int, milliseconds: Int)
    /// Returns the worker's pid.
    case pid
    /// Throws an error whose description is the message.
    case fail(String)
    /// Blocks until the spec releases it, then returns the worker's pid.
    case block
    /// Ends the worker by this signal.
    case die(Signal)
}

/// What a pool reports instead of a value.
public enum PoolError: Error, Equatable, CustomStringConvertible {
    /// `Pool(processes: 0)` (Python: ValueError "Number of processes must be at least 1").
    case invalidProcessCount(Int)
    /// A task submitted after `close()` or `terminate()` (Python: ValueError "Pool not running").
    case notRunning
    /// `join()` before `close()` (Python: ValueError "Pool is still running").
    case stillRunning
    /// `get(timeout:)` ran out of time (Python: multiprocessing.TimeoutError).
    case timeout
    /// `successful()` before the task finished (Python: ValueError "... not ready").
    case notReady
    /// The work threw: the error's type and description, as the worker saw them.
    case taskFailed(type: String, message: String)
    /// The worker running the task ended before answering (Python's pool hangs instead).
    case workerDied(WaitStatus)
    /// `terminate()` came before the task finished (Python's result never becomes ready).
    case terminated
    /// An input or output that could not be sent between processes.
    case notTransferable(String)
    /// The system refused, e.g. fork or pipe failed.
    case system(Errno)

    public var description: String {
        switch self {
        case .invalidProcessCount(let count): "a pool needs at least 1 process, not \(count)"
        case .notRunning: "the pool is not running"
        case .stillRunning: "the pool is still running: close() or terminate() it before join()"
        case .timeout: "no result within the timeout"
        case .notReady: "the task has not finished"
        case .taskFailed(let type, let message): "the task threw \(type): \(message)"
        case .workerDied(let status): "the worker running the task \(status)"
        case .terminated: "the pool was terminated before the task finished"
        case .notTransferable(let why): "cannot send the value to another process: \(why)"
        case .system(let errno): "a system call failed: \(errno)"
        }
    }
}
