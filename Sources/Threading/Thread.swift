import Conformance
import CSystem
import Glibc

/// A thread of this process: Python's `threading.Thread` (course: 线程编程(Thread)).
///
///     let worker = Thread(target: { print("hello from", Thread.currentName) })
///     try worker.start()
///     try worker.join()
///
///     final class Counter: Thread {          // or a subclass that overrides run()
///         override func run() throws { ... }
///     }
///
/// `start()` creates a POSIX thread (pthread_create, detached: `join` waits on the `finished`
/// event instead of pthread_join, so it can give up after a timeout) and waits until the new
/// thread has recorded its ids, as Python's does. An error thrown by `run()` is written to stderr
/// with the thread's name and ends the thread (THREAD-6). Non-daemon threads are waited for when
/// the process exits (`ActiveThreads`, THREAD-5).
open class Thread: ThreadObject, @unchecked Sendable {
    public let name: String
    private let target: (() throws -> Void)?
    /// Guards `launched` and `daemon` against two threads starting the object at once.
    private let guardLock = Lock()
    private var launched = false
    private var daemon: Bool
    private var handle: pthread_t?
    private var kernelID: pid_t?
    /// Set by the new thread once its ids are recorded, and once `run()` has returned.
    private let running = Event()
    private let finished = Event()

    /// `Thread(target=, name=, daemon=)`: nothing runs before `start()`. The daemon flag defaults
    /// to the creating thread's.
    public init(name: String? = nil, daemon: Bool? = nil, target: (() throws -> Void)? = nil) {
        self.name = name ?? "Thread-\(ThreadNumbers.next())"
        self.daemon = daemon ?? ActiveThreads.current?.isDaemon ?? false
        self.target = target
    }

    /// What the thread runs: the target. A subclass overrides it.
    open func run() throws { try target?() }

    public var ident: UInt? { running.isSet ? handle : nil }
    public var nativeID: Int32? { running.isSet ? kernelID : nil }
    public var isAlive: Bool { running.isSet && !finished.isSet }
    public var isDaemon: Bool { guardLock.withLock { daemon } }

    /// The name of the calling thread's `Thread`, or "MainThread" for one this module did not start.
    public static var currentName: String { ActiveThreads.current?.name ?? "MainThread" }

    public func setDaemon(_ daemon: Bool) throws(ThreadError) {
        try guardLock.withLock { () throws(ThreadError) in
            guard !launched else { throw .alreadyStarted }
            self.daemon = daemon
        }
    }

    public func start() throws(ThreadError) {
        try guardLock.withLock { () throws(ThreadError) in
            guard !launched else { throw .alreadyStarted }
            launched = true
        }
        var created = pthread_t()
        let result = pthread_create(&created, nil, { context in
            // The new thread drops its reference to the object before announcing the end, so
            // that what the target captured is freed by the time a join returns.
            Thread.bootstrap(Unmanaged<Thread>.fromOpaque(context!).takeRetainedValue()).set()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        guard result == 0 else {
            Unmanaged.passUnretained(self).release()
            guardLock.withLock { launched = false }
            throw .system(Errno(rawValue: result))
        }
        pthread_detach(created)
        _ = running.wait(timeout: nil)
    }

    public func join(timeout: Double? = nil) throws(ThreadError) {
        guard guardLock.withLock({ launched }) else { throw .notStarted }
        if ActiveThreads.current === self { throw .joinSelf }
        _ = finished.wait(timeout: timeout)
    }

    /// The new thread's steps around `run()`; returns the event to set once `thread` is released.
    private static func bootstrap(_ thread: Thread) -> Event {
        thread.handle = pthread_self()
        thread.kernelID = cs_gettid()
        ActiveThreads.enter(thread)
        thread.running.set()
        do {
            try thread.run()
        } catch {
            report(error, in: thread.name)
        }
        ActiveThreads.leave(thread)
        return thread.finished
    }

    /// In a fork's child, where this thread was not copied: it is not alive there, and joining it
    /// returns at once (Python's `_after_fork`).
    func endedByFork() { finished.set() }

    /// Python's "Exception in thread NAME:" then the error, in one write(2) so that lines of two
    /// threads failing at once do not mix.
    private static func report(_ error: any Error, in name: String) {
        var text = "Exception in thread \(name):\n\(error)\n"
        text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// Python's counter of default names: `Thread-N`, N counting the unnamed threads from 1.
enum ThreadNumbers {
    private static let lock = Lock()
    nonisolated(unsafe) private static var last = 0

    static func next() -> Int {
        lock.withLock {
            last += 1
            return last
        }
    }
}

/// A thread object whose class overrides `run()`, for the spec's subclass case.
final class SubclassedThread: Thread, @unchecked Sendable {
    private let body: () throws -> Void

    init(name: String?, run body: @escaping () throws -> Void) {
        self.body = body
        super.init(name: name)
    }

    override func run() throws { try body() }
}

/// The reference `ThreadAPI`.
public struct ThreadFactory: ThreadAPI {
    public init() {}

    public func thread(name: String?, target: @escaping () throws -> Void) -> Thread {
        Thread(name: name, target: target)
    }

    public func subclass(name: String?, run: @escaping () throws -> Void) -> Thread {
        SubclassedThread(name: name, run: run)
    }
}
