import Conformance

/// A process object: `multiprocessing.Process` (course: multiprocessing 模块创建进程, 进程对象属性;
/// day2/process1.py ... process_attr.py).
///
/// Rules PROCESS-1 ... PROCESS-13 (RULES.md). Grade just these: `make grade RULES=process`.
/// Hints: `start()` forks; the child runs the target and must never return into the caller's code.
/// Python's exit handler (`atexit`) terminates daemonic children and joins the others.
public final class StudentProcess: ProcessObject {
    public init(name: String?, target: @escaping () throws -> Void) {}

    public var name: String { notImplemented() }
    public var pid: ProcessID? { notImplemented() }
    public var daemon: Bool { notImplemented() }
    public var isAlive: Bool { notImplemented() }
    public var exitCode: CInt? { notImplemented() }

    public func setDaemon(_ daemon: Bool) throws(ProcessError) { notImplemented() }
    public func start() throws(ProcessError) { notImplemented() }
    public func join(timeout: Double?) throws(ProcessError) { notImplemented() }
    public func terminate() throws(ProcessError) { notImplemented() }
    public func kill() throws(ProcessError) { notImplemented() }
}

/// Makes `StudentProcess` objects for the spec: `Process(target=, args=, name=)`.
public struct StudentProcesses: ProcessAPI {
    public init() {}

    public func process<Arguments>(
        name: String?, target: @escaping (Arguments) throws -> Void, args: Arguments
    ) -> StudentProcess {
        StudentProcess(name: name, target: { try target(args) })
    }
}
