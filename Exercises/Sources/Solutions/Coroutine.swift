import Conformance

/// A stackful coroutine: `greenlet.greenlet` (course: 第三方协程模块, greenlet模块, day6/greenlet_0.py).
///
/// Rules COROUTINE-1 ... COROUTINE-9 (RULES.md). Grade just these: `make grade RULES=coroutine`.
/// Hints: each coroutine needs a stack of its own (mmap, with a PROT_NONE guard page at the bottom)
/// and a switch that saves the callee-saved registers and the stack pointer of one stack and loads
/// another's: a C target of your own with 20 lines of assembly (see the kit's
/// Sources/CSystem/CoroutineSwitch.c). A thread per coroutine is what COROUTINE-8 rejects.
public final class StudentCoroutine: CoroutineObject {
    public func `switch`(_ value: Any?) throws -> Any? { notImplemented() }
    public func `throw`(_ error: any Error) throws -> Any? { notImplemented() }
    public var isDead: Bool { notImplemented() }
    public var isActive: Bool { notImplemented() }
    public var parent: StudentCoroutine? { notImplemented() }
    public func setParent(_ parent: StudentCoroutine) throws(CoroutineError) { notImplemented() }
}

/// Makes coroutines for the spec: `greenlet(run)` and `getcurrent()`.
public struct StudentCoroutines: CoroutineAPI {
    public init() {}

    public func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> StudentCoroutine { notImplemented() }
    public func current() -> StudentCoroutine { notImplemented() }
}

/// A task the hub runs: gevent's `Greenlet` as `gevent.spawn` returns it.
///
/// Rules HUB-1 ... HUB-7 (RULES.md). Grade just these: `make grade RULES=hub`.
/// Hints: the hub is a coroutine of its own that runs a loop: resume every ready coroutine, then
/// epoll_wait until the earliest sleeper's deadline or a watched descriptor, and make those ready.
/// A task waits by recording what should wake it and switching to the hub.
public final class StudentTask: TaskObject {
    public var isReady: Bool { notImplemented() }
    public var isSuccessful: Bool { notImplemented() }
    public func get(timeout: Double?) throws -> Any? { notImplemented() }
    public func join(timeout: Double?) throws { notImplemented() }
    public func kill() throws { notImplemented() }
}

/// The hub's functions: `gevent.spawn`, `gevent.joinall`, `gevent.sleep`, `gevent.socket.wait_read`.
public struct StudentHub: HubAPI {
    public init() {}

    public func spawn(_ body: @escaping () throws -> Any?) -> StudentTask { notImplemented() }
    public func joinAll(_ tasks: [StudentTask], timeout: Double?) throws -> [StudentTask] { notImplemented() }
    public func sleep(_ seconds: Double) throws { notImplemented() }
    public func waitReadable(_ descriptor: Int32, timeout: Double?) throws { notImplemented() }
}

/// An event loop for async/await: asyncio's loop on one thread.
///
/// Rules ASYNC-1 ... ASYNC-3 (RULES.md). Grade just these: `make grade RULES=async`.
/// Hints: conform to `TaskExecutor`: `enqueue` appends the job to a queue; `run` starts the body
/// with `Task(executorPreference: self)` and runs queued jobs (`runSynchronously(on:)`) on the
/// calling thread, waiting in epoll for timers and descriptors when none is queued. A wait is a
/// continuation the loop resumes; `withTaskCancellationHandler` resumes it with CancellationError.
public final class StudentAsyncLoop: AsyncLoopObject, @unchecked Sendable {
    public func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value { notImplemented() }
    public func sleep(_ seconds: Double) async throws { notImplemented() }
    public func waitReadable(_ descriptor: Int32, timeout: Double?) async throws { notImplemented() }
}

/// Makes loops for the spec: `asyncio.new_event_loop()`.
public struct StudentAsyncLoops: AsyncLoopAPI {
    public init() {}

    public func loop() throws -> StudentAsyncLoop { notImplemented() }
}
