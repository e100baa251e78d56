/// An event loop for async/await: asyncio's loop (course: 扩展延伸@标准库协程的实现, asyncio and
/// async/await) in Swift's own form, structured concurrency on a single-threaded executor.
///
/// Rules ASYNC-1 ... ASYNC-3 in RULES.md; the reference is `Coroutines.AsyncLoop`. Deliberate
/// differences: tasks are Swift's (`withTaskGroup`, `async let`, `Task.cancel()`); a cancelled
/// await throws `CancellationError` where asyncio raises `CancelledError`; a timeout is
/// `HubError.timeout`.
public protocol AsyncLoopObject: AnyObject, Sendable {
    /// `asyncio.run(main())`: runs `body` and every task it starts on the calling thread, until
    /// `body` ends; returns its result or throws its error.
    func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value
    /// `await asyncio.sleep(seconds)`: suspends the task for at least `seconds` while the others
    /// run; 0 lets every other ready task run first. `CancellationError` when cancelled.
    func sleep(_ seconds: Double) async throws
    /// The wait under `await loop.sock_recv(...)`: suspends until `descriptor` is readable;
    /// `HubError.timeout` after `timeout` seconds, `CancellationError` when cancelled.
    func waitReadable(_ descriptor: Int32, timeout: Double?) async throws
}

/// Misuse of a loop.
public enum AsyncLoopError: Error, Equatable, CustomStringConvertible {
    /// `run` while the loop runs, from another thread or from inside (Python: RuntimeError "This
    /// event loop is already running").
    case alreadyRunning

    public var description: String { "this event loop is already running" }
}

/// Makes event loops.
public protocol AsyncLoopAPI {
    associatedtype Loop: AsyncLoopObject
    /// `asyncio.new_event_loop()`.
    func loop() throws -> Loop
}
