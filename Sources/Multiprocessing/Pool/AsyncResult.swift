import Conformance

/// The handle `Pool.applyAsync` returns: Python's `AsyncResult`.
///
/// The pool runs in the caller's thread: asking a handle for its result (`get`, `ready`) is also
/// what moves the pool's work forward.
public final class AsyncResult<Output: Codable>: AsyncResultHandle {
    private let engine: PoolEngine<Output>
    private let submission: Submission<Output>

    init(engine: PoolEngine<Output>, submission: Submission<Output>) {
        self.engine = engine
        self.submission = submission
    }

    /// `get(timeout)`: waits at most `timeout` seconds (nil: no limit; 0 or less: not at all).
    public func get(timeout: Double? = nil) throws(PoolError) -> Output {
        engine.pump(until: { self.submission.outcome != nil }, deadline: timeout.map { Deadline(after: $0) })
        guard let outcome = submission.outcome else { throw .timeout }
        guard let output = try outcome.get().first else { throw .notTransferable("an empty reply") }
        return output
    }

    /// `ready()`.
    public var ready: Bool {
        engine.pump(until: { self.submission.outcome != nil }, deadline: Deadline(after: 0))
        return submission.outcome != nil
    }

    /// `successful()`: throws `.notReady` before the task has finished.
    public func successful() throws(PoolError) -> Bool {
        guard ready, let outcome = submission.outcome else { throw .notReady }
        if case .success = outcome { return true }
        return false
    }
}

/// One task between submission and its outcome; shared by the pool and the task's handle. A task
/// is a chunk of inputs: one for `applyAsync`, several for `map`.
final class Submission<Output> {
    let id: UInt64
    /// The pickled inputs, until the task has an outcome (a dead worker's tasks are sent again).
    var input: [UInt8]
    /// One output per input, or the error that ended the chunk.
    var outcome: Result<[Output], PoolError>?

    init(id: UInt64, input: [UInt8]) {
        self.id = id
        self.input = input
    }
}
