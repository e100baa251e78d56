import Conformance

/// A thread: `threading.Thread(target=, name=)` and a subclass overriding `run()` (course:
/// 线程编程(Thread), day3/thread1.py, thread2.py, thread_attr.py).
///
/// Rules THREAD-1 ... THREAD-8 (RULES.md). Grade just these: `make grade RULES=thread`.
/// Hints: `pthread_create` takes a C function and one pointer: pass `Unmanaged.passRetained(self)`.
/// `join(timeout:)` cannot use pthread_join, which has no timeout: wait for an event the thread
/// sets when it ends. The process's normal end waits for non-daemon threads: an `atexit` handler.
open class StudentThread: ThreadObject {
    public var name: String { notImplemented() }
    public var ident: UInt? { notImplemented() }
    public var nativeID: Int32? { notImplemented() }
    public var isAlive: Bool { notImplemented() }
    public var isDaemon: Bool { notImplemented() }
    public func setDaemon(_ daemon: Bool) throws(ThreadError) { notImplemented() }
    public func start() throws(ThreadError) { notImplemented() }
    public func join(timeout: Double?) throws(ThreadError) { notImplemented() }
    /// What the thread runs: the target; a subclass overrides it.
    open func run() throws { notImplemented() }
}

/// Makes threads for the spec.
public struct StudentThreads: ThreadAPI {
    public init() {}

    public func thread(name: String?, target: @escaping () throws -> Void) -> StudentThread { notImplemented() }
    public func subclass(name: String?, run: @escaping () throws -> Void) -> StudentThread { notImplemented() }
}
