/// A hub that runs coroutines cooperatively on one thread: gevent's `spawn`, `joinall`, `sleep` and
/// its cooperative waits (course: gevent模块, day6/gevent_test.py; monkey脚本: blocking calls made to
/// park the coroutine and let the hub run the others).
///
/// Rules HUB-1 ... HUB-7 in RULES.md; the reference is `Coroutines.Hub`, an event loop on epoll.
/// Deliberate differences: a task's function takes no arguments (a Swift closure captures them,
/// where gevent passes `*args`); a timeout is `HubError.timeout` where gevent's `get` raises
/// `gevent.Timeout`.
public protocol TaskObject: AnyObject {
    /// `g.ready()`: the function has returned or thrown (or the task was killed).
    var isReady: Bool { get }
    /// `g.successful()`: ready and ended without an error (a kill counts as success, as in gevent).
    var isSuccessful: Bool { get }
    /// `g.get(block=True, timeout)`: waits cooperatively until ready, then returns the value or
    /// throws the task's error; `HubError.timeout` when `timeout` seconds pass first.
    func get(timeout: Double?) throws -> Any?
    /// `g.join(timeout)`: waits cooperatively until ready or until `timeout` passes; never throws the
    /// task's error (only a kill of the waiting task: `CoroutineExit`).
    func join(timeout: Double?) throws
    /// `g.kill()`: throws `CoroutineExit` into the task where it waits (an unstarted task never
    /// runs) and waits until it has ended.
    func kill() throws
}

/// Makes tasks and waits cooperatively.
public protocol HubAPI {
    associatedtype Task: TaskObject
    /// `gevent.spawn(fn)`: schedules `body` on the calling thread's hub and returns at once;
    /// nothing runs until the caller waits (sleep, join, joinAll, get, a cooperative IO wait).
    func spawn(_ body: @escaping () throws -> Any?) -> Task
    /// `gevent.joinall(tasks, timeout)`: waits until every task is ready, or until `timeout`
    /// passes; returns the ready ones, in the order given. Never throws the tasks' errors.
    func joinAll(_ tasks: [Task], timeout: Double?) throws -> [Task]
    /// `gevent.sleep(seconds)`: parks the caller for at least `seconds` while the hub runs the
    /// others; `sleep(0)` lets every task that is ready run first.
    func sleep(_ seconds: Double) throws
    /// `gevent.socket.wait_read(fd, timeout)`: parks the caller until `descriptor` is readable;
    /// `HubError.timeout` after `timeout` seconds.
    func waitReadable(_ descriptor: Int32, timeout: Double?) throws
}

/// Waits that cannot end as asked. Every wait of the hub also throws `CoroutineExit` when the
/// waiting task is killed (gevent: GreenletExit raised where the greenlet waits).
public enum HubError: Error, Equatable, CustomStringConvertible {
    /// The timeout passed first (gevent: `gevent.Timeout`, `socket.timeout`).
    case timeout
    /// Nothing is ready, no timer is set and no descriptor is watched, so the wait could never end
    /// (gevent: `LoopExit`, "This operation would block forever").
    case blockedForever
    /// Another coroutine already waits for this descriptor (gevent: "This socket is already used
    /// by another greenlet").
    case descriptorInUse(Int32)
    /// The kernel refused to watch the descriptor (epoll_ctl's errno, e.g. EBADF).
    case cannotWatch(Int32, Errno)

    public var description: String {
        switch self {
        case .timeout: "timed out"
        case .blockedForever: "this wait would block forever: nothing else can run"
        case .descriptorInUse(let fd): "descriptor \(fd) is already awaited by another coroutine"
        case .cannotWatch(let fd, let error): "cannot watch descriptor \(fd): \(error)"
        }
    }
}
