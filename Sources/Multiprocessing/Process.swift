import Conformance
import Glibc
import Processes

/// A child process that runs one function: Python's `multiprocessing.Process` with the fork start
/// method (course: multiprocessing 模块创建进程, 进程对象属性).
///
///     let worker = Process(target: { (n: Int) in print(n * n) }, args: 7)
///     try worker.start()
///     try worker.join()
///     worker.exitCode    // 0
///
/// `start()` forks; the child runs only the target, with standard input on `/dev/null`, and ends
/// with 0 when the target returns, or 1 and a message on stderr when it throws. Results come back
/// only through IPC: the child's memory is a copy.
public final class Process: ProcessObject {
    public let name: String
    /// The object's number among those this process created (`3`, or `3:1` in a child of the
    /// third): what default names and the numbering in children are built from.
    private let identity = ActiveChildren.current.nextIdentity()
    public private(set) var daemon: Bool
    public private(set) var pid: ProcessID?
    /// How the child ended, once reaped (the pool reads it to say how a worker died).
    private(set) var status: WaitStatus?
    private let target: () throws -> Void
    /// The process that created this object: the only one that may start and join it.
    private let creator = getpid()

    /// `multiprocessing.Process(target=, args=, name=, daemon=)`.
    public init<Arguments>(
        name: String? = nil, daemon: Bool = false,
        target: @escaping (Arguments) throws -> Void, args: Arguments
    ) {
        self.name = name ?? "Process-" + identity
        self.daemon = daemon
        self.target = { try target(args) }
    }

    /// A process whose target takes no arguments.
    public convenience init(name: String? = nil, daemon: Bool = false, target: @escaping () throws -> Void) {
        self.init(name: name, daemon: daemon, target: { (_: Void) in try target() }, args: ())
    }

    public func setDaemon(_ daemon: Bool) throws(ProcessError) {
        guard pid == nil else { throw .alreadyStarted }
        self.daemon = daemon
    }

    /// Forks the child. Pending stdio output is flushed first, so that the child does not inherit
    /// a copy of it and print it a second time (Python's `util._flush_std_streams()`).
    public func start() throws(ProcessError) {
        guard pid == nil else { throw .alreadyStarted }
        guard getpid() == creator else { throw .notTheCreator }
        ActiveChildren.current.reapEnded()
        fflush(nil)
        // PR_SET_PDEATHSIG fires when the thread that forked ends, not the process: only a child
        // forked by the main thread can rely on it.
        let forkedByMainThread = system_gettid() == creator
        let forked: ForkResult
        do { forked = try Fork().fork() } catch { throw .system(error) }
        switch forked {
        case .child:
            runChild(deathSignal: daemon && forkedByMainThread)
        case .parent(let child):
            pid = child
            ActiveChildren.current.add(child.rawValue, daemon: daemon, process: self)
        }
    }

    /// The child's whole life: it never returns into the caller's code.
    private func runChild(deathSignal: Bool) -> Never {
        ActiveChildren.startChild(identity: identity)
        if deathSignal {
            _ = system_set_parent_death_signal(SIGKILL)
            // The parent may have ended before the line above: then no signal will ever come.
            if getppid() != creator { Glibc.kill(getpid(), SIGKILL) }
        }
        // Python replaces sys.stdin with os.devnull: a child cannot read the terminal.
        _ = freopen("/dev/null", "r", system_stdin)
        var code: CInt = 0
        do {
            try target()
        } catch {
            fputs("Process \(name):\n\(error)\n", system_stderr)
            code = 1
        }
        // What a normal exit of the child does: its own children, then its stdio buffers.
        ActiveChildren.current.endAll()
        fflush(nil)
        system__exit(code)
    }

    /// Waits for the child to end, or for `timeout` seconds (0 or negative: not at all, as in
    /// CPython, whose `join(-1)` returns at once).
    public func join(timeout: Double? = nil) throws(ProcessError) {
        guard let pid else { throw .notStarted }
        guard getpid() == creator else { throw .notTheCreator }
        if status != nil { return }
        if let timeout, !ChildEnd.await(pid, seconds: timeout) { return }
        reap(options: [])
    }

    public var isAlive: Bool {
        guard pid != nil else { return false }
        reap(options: .noHang)
        return status == nil
    }

    /// Like Python's `exitcode`: the exit status, or minus the signal that ended the child.
    public var exitCode: CInt? {
        if pid != nil { reap(options: .noHang) }
        switch status {
        case .exited(let code): return code
        case .signaled(let signal, _): return -signal.rawValue
        default: return nil
        }
    }

    /// Sends SIGTERM, as Python's `terminate()`; nothing once the child has been reaped.
    public func terminate() throws(ProcessError) { try send(SIGTERM) }

    /// Sends SIGKILL, as Python's `kill()`.
    public func kill() throws(ProcessError) { try send(SIGKILL) }

    private func send(_ signal: CInt) throws(ProcessError) {
        guard let pid else { throw .notStarted }
        // A reaped child's pid may belong to someone else by now.
        if status == nil { Glibc.kill(pid.rawValue, signal) }
    }

    /// Collects the child's status if it has ended (or, without `.noHang`, once it ends).
    private func reap(options: WaitOptions) {
        guard let pid, status == nil, getpid() == creator else { return }
        // ECHILD: somebody else reaped it (a `wait()` of the program's own); the status is lost.
        guard let ended = try? Wait().waitpid(pid, options: options) else { return }
        status = ended.status
        ActiveChildren.current.remove(pid.rawValue)
    }
}
