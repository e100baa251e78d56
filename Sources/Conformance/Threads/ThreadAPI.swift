/// A thread of this process: Python's `threading.Thread` (course: 线程编程(Thread), day3/thread1.py,
/// thread2.py, thread_attr.py), including a subclass that overrides `run()`.
///
/// Rules THREAD-1 ... THREAD-8 in RULES.md; the reference is `Threading.Thread`.
/// Deliberate differences from Python: a default name is `Thread-N` without the target's name in
/// parentheses (a Swift closure has none), `daemon` is set with `setDaemon(_:)` because a Swift
/// setter cannot throw, and the `RuntimeError`s of misuse are `ThreadError`s.
public protocol ThreadObject: AnyObject {
    /// `name`: the given name, or `Thread-N` with N counting the thread objects of this process.
    var name: String { get }
    /// `ident`: nil before start, then the thread's `pthread_t` (kept after it ends).
    var ident: UInt? { get }
    /// `native_id`: nil before start, then the kernel's id of the thread (gettid).
    var nativeID: Int32? { get }
    /// `is_alive()`: started and not yet ended.
    var isAlive: Bool { get }
    /// `daemon`: whether the process's normal end leaves the thread behind instead of waiting
    /// for it; by default that of the thread that made the object.
    var isDaemon: Bool { get }
    /// `t.daemon = flag`; throws `.alreadyStarted` once started.
    func setDaemon(_ daemon: Bool) throws(ThreadError)
    /// `start()`: runs `run()` (the target, unless a subclass overrides it) on a new thread;
    /// throws `.alreadyStarted` the second time.
    func start() throws(ThreadError)
    /// `join(timeout)`: waits for the thread to end, or until `timeout` seconds have passed (nil:
    /// no limit; 0 or less: not at all), and returns either way: `isAlive` tells which.
    /// Throws `.notStarted` before `start()` and `.joinSelf` on the thread itself.
    func join(timeout: Double?) throws(ThreadError)
}

/// Makes threads: `Thread(target=, name=)` and a subclass overriding `run()`.
public protocol ThreadAPI {
    associatedtype Thread: ThreadObject
    /// `Thread(target=target, name=name)`: nothing runs before `start()`. What the target shares
    /// with other threads needs a lock (LOCK-7).
    func thread(name: String?, target: @escaping () throws -> Void) -> Thread
    /// An object of a subclass whose `run()` is `run` (`class MyThread(Thread): def run(self)`),
    /// made without a target.
    func subclass(name: String?, run: @escaping () throws -> Void) -> Thread
}

/// Misuse of a thread (Python raises `RuntimeError` for these).
public enum ThreadError: Error, Equatable, CustomStringConvertible {
    /// `start()` a second time, or `setDaemon` after `start()`.
    case alreadyStarted
    /// `join` before `start()`.
    case notStarted
    /// `join` called by the thread on itself, which would wait for ever.
    case joinSelf
    /// The system refused: `pthread_create` failed with this error.
    case system(Errno)

    public var description: String {
        switch self {
        case .alreadyStarted: "the thread was already started"
        case .notStarted: "cannot join a thread before it is started"
        case .joinSelf: "cannot join the current thread"
        case .system(let errno): "pthread_create failed: \(errno)"
        }
    }
}
