/// The process object: Python's `multiprocessing.Process` (course: multiprocessing 模块创建进程,
/// 进程对象属性).
///
/// Rules PROCESS-1 ... PROCESS-13 in RULES.md; the reference is `Multiprocessing.Process`.
/// Deliberate differences from Python: `daemon` is set with `setDaemon(_:)` because a Swift setter
/// cannot throw, and misuse Python answers with `AssertionError` or `AttributeError` is a
/// `ProcessError`.
public protocol ProcessObject: AnyObject {
    /// `name`: the given name, or `Process-N` with N counting the objects created in this process.
    var name: String { get }
    /// `pid`: the child's id once started, nil before.
    var pid: ProcessID? { get }
    /// `daemon`: whether the child is ended when this process exits.
    var daemon: Bool { get }
    /// `is_alive()`: started and not yet ended (reaps the child if it has ended).
    var isAlive: Bool { get }
    /// `exitcode`: nil before start and while running; the exit status after a normal end; minus
    /// the signal number when a signal ended the child.
    var exitCode: CInt? { get }
    /// `p.daemon = flag`; throws `.alreadyStarted` once started.
    func setDaemon(_ daemon: Bool) throws(ProcessError)
    /// `start()`: forks a child that runs the target, then ends; throws `.alreadyStarted` the second time.
    func start() throws(ProcessError)
    /// `join(timeout)`: waits for the child to end, or until `timeout` seconds have passed (nil: no
    /// limit; 0 or negative: do not wait). Throws `.notStarted` before `start()`.
    func join(timeout: Double?) throws(ProcessError)
    /// `terminate()`: sends SIGTERM to a running child; throws `.notStarted` before `start()`.
    func terminate() throws(ProcessError)
    /// `kill()`: sends SIGKILL to a running child; throws `.notStarted` before `start()`.
    func kill() throws(ProcessError)
}

/// Makes process objects, as `multiprocessing.Process(target=, args=, name=)` does.
public protocol ProcessAPI {
    associatedtype Child: ProcessObject
    /// A process object that will run `target(args)` in a child; nothing runs before `start()`.
    func process<Arguments>(
        name: String?, target: @escaping (Arguments) throws -> Void, args: Arguments
    ) -> Child
}

/// Misuse of a process object (Python raises `AssertionError` or `AttributeError` for these).
public enum ProcessError: Error, Equatable, CustomStringConvertible {
    /// `start()` a second time, or `setDaemon` after `start()`.
    case alreadyStarted
    /// `join`, `terminate` or `kill` before `start()`.
    case notStarted
    /// `start` or `join` from a process other than the one that created the object.
    case notTheCreator
    /// The system refused: `fork` failed with this error.
    case system(Errno)

    public var description: String {
        switch self {
        case .alreadyStarted: "the process was already started"
        case .notStarted: "the process was not started"
        case .notTheCreator: "only the process that created a process object can start or join it"
        case .system(let errno): "fork failed: \(errno)"
        }
    }
}
